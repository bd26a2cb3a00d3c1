package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a project that uses the Java API without an SLF4J binding sees no "No SLF4J providers"
 * warning. The child JVM gets this module's class path without logback, as a plain project has
 * it; a Jinja script and the file: store bring in Jinjava and sqlite-jdbc, which log via SLF4J.
 */
class PlainProjectLoggingIT {

  @TempDir Path project;

  @Test
  void aRunWithoutAnSlf4jBindingPrintsNoSlf4jWarning() throws Exception {
    Files.createDirectories(project.resolve("scripts/core"));
    Files.writeString(project.resolve("scripts/core/n.sql.jinja"),
        "SELECT {{ 40 + 2 }} AS answer\n");
    String classPath = Arrays.stream(System.getProperty("java.class.path")
            .split(File.pathSeparator))
        .filter(entry -> !entry.contains("logback")).collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).contains("slf4j-api");
    Path stderr = project.resolve("stderr.txt");
    Process child = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", classPath, Main.class.getName(), project.toString()))
        .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String errors = Files.readString(stderr);
    assertThat(child.exitValue()).as(errors).isZero();
    assertThat(errors).doesNotContain("SLF4J");
  }

  /** The plain project: one run through the API. */
  public static final class Main {
    public static void main(String[] args) {
      Path dir = Path.of(args[0]);
      Lea.run(LeaConfig.defaults(dir)
          .with(LeaSettings.DUCKDB_PATH, "file:bucket/warehouse.duckdb")
          .with(LeaSettings.PRODUCTION, "true")
          .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString()), Reporter.silent());
    }
  }
}
