package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (what Ctrl-C and CI cancellation send) is a failure like any other. */
class SessionInterruptIT {

  @TempDir Path dir;

  @Test
  void sigtermAppliesTheFailurePolicyAndReleasesTheLock() throws Exception {
    Path remote = dir.resolve("bucket").resolve("warehouse.duckdb");
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote)
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    try (CatalogSession seed = CatalogSync.open(config)) {
      seed.connection().createStatement().execute("CREATE TABLE seeded AS SELECT 1 AS x");
      seed.commit();
    }
    byte[] before = Files.readAllBytes(remote);

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        InterruptedChild.class.getName(), dir.toString(),
        LeaSettings.DUCKDB_PATH + "=file:" + remote,
        LeaSettings.ON_FAILURE + "=upload-aside",
        LeaSettings.CACHE_ENABLED + "=false",
        LeaSettings.WORK_DIR + "=" + dir.resolve("child-work")));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("READY")) {
        output.add(line);
      }
      assertThat(line).as("child output %s", output).startsWith("READY");
      child.toHandle().destroy();
      while ((line = out.readLine()) != null) {
        output.add(line);
      }
    } finally {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(Files.readAllBytes(remote)).isEqualTo(before);
    assertThat(remote.resolveSibling(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
    try (Stream<Path> files = Files.list(remote.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("warehouse.duckdb.failed-"));
    }
    assertThat(output).anyMatch(line -> line.startsWith("WARN Interrupted: The failed run's"
        + " catalog was uploaded to "));
    try (Stream<Path> left = Files.list(dir.resolve("child-work"))) {
      assertThat(left).isEmpty();
    }
  }
}
