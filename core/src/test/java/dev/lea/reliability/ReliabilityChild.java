package dev.lea.reliability;

import dev.lea.Reporters;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A separate JVM running one session, driven line by line through a {@link ChildJvm}: prints {@code
 * OPENED <runId>} once the session is open, waits for a line, appends a row with its label and
 * the number of rows it saw and prints {@code WORKED}, waits for another line, then commits and
 * prints {@code COMMITTED} (exit 0), or {@code CONFLICT <message>} (exit 3) when another writer
 * won, or {@code FAILED <message>} (exit 4) for any other refusal.
 *
 * <p>Arguments: {@code label projectDir key=value...} (configuration by property name).
 */
public final class ReliabilityChild {

  private ReliabilityChild() {}

  /**
   * Starts a child labelled {@code label} on the project in {@code projectDir}, with {@code -D}
   * properties and lea settings (by property name); its stderr is appended to {@code stderr}, or
   * goes to this JVM's when that is null. Public for the store modules' multi-writer tests.
   */
  public static ChildJvm start(String label, Path projectDir, Path stderr,
      Map<String, String> systemProperties, Map<String, String> settings) throws IOException {
    List<String> arguments = new ArrayList<>(List.of(label, projectDir.toString()));
    settings.forEach((k, v) -> arguments.add(k + "=" + v));
    return ChildJvm.start(label, ReliabilityChild.class, arguments, systemProperties, stderr);
  }

  /** The configuration of {@code projectDir} with {@code key=value} settings. */
  public static LeaConfig config(String projectDir, List<String> settings) {
    Map<String, String> configuration = new LinkedHashMap<>();
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      configuration.put(setting.substring(0, eq), setting.substring(eq + 1));
    }
    return ConfigResolver.builder().projectDirectory(Path.of(projectDir))
        .configuration(configuration).resolve();
  }

  /** The rows of table {@code runs}, which is created when it is missing. */
  public static long runsSeen(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS runs (label VARCHAR, seen BIGINT)");
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM runs")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static void main(String[] args) throws Exception {
    String label = args[0];
    LeaConfig config = config(args[1], List.of(args).subList(2, args.length));
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    try (CatalogSession session = CatalogSync.open(config, Reporters.printing())) {
      Reporters.print("OPENED " + session.runId());
      stdin.readLine();
      try (Statement s = session.connection().createStatement()) {
        s.execute("INSERT INTO runs VALUES ('" + label + "', " + runsSeen(s) + ")");
      }
      Reporters.print("WORKED");
      stdin.readLine();
      session.commit();
      Reporters.print("COMMITTED");
    } catch (LeaException e) {
      boolean conflict = e.getMessage().contains("another writer changed it");
      Reporters.print((conflict ? "CONFLICT " : "FAILED ") + e.getMessage().replace('\n', ' '));
      System.exit(conflict ? 3 : 4);
    }
  }
}
