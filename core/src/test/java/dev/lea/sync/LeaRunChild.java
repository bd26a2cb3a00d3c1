package dev.lea.sync;

import dev.lea.Lea;
import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mvn lea:run} in a JVM of its own, driven through a {@link ChildJvm}: prints {@code READY},
 * waits for a line, runs the project through {@link Lea#run} and prints {@code PUBLISHED <tables>}
 * (exit 0) or {@code FAILED <message>} (exit 4). Reporter lines come first as {@code INFO}/{@code
 * WARN}. The extension settings come from the environment, as in {@link DuckLakeExtensions}.
 *
 * <p>Arguments: {@code projectDir key=value...} (lea settings by property name).
 */
public final class LeaRunChild {

  private LeaRunChild() {}

  public static ChildJvm start(String label, Path projectDir, Map<String, String> settings,
      Path stderr) throws IOException {
    List<String> arguments = new ArrayList<>(List.of(projectDir.toString()));
    settings.forEach((key, value) -> arguments.add(key + "=" + value));
    return ChildJvm.start(label, LeaRunChild.class, arguments, Map.of(), stderr);
  }

  public static void main(String[] args) throws IOException {
    LeaConfig config = DuckLakeExtensions.config(Path.of(args[0]));
    for (String setting : List.of(args).subList(1, args.length)) {
      int eq = setting.indexOf('=');
      config = config.with(setting.substring(0, eq), setting.substring(eq + 1));
    }
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    Reporters.print("READY");
    stdin.readLine();
    try {
      Reporters.print("PUBLISHED " + Lea.run(config, Reporters.printing()).published());
    } catch (LeaException e) {
      Reporters.print("FAILED " + e.getMessage().replace('\n', ' '));
      System.exit(4);
    }
  }
}
