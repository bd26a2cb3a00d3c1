package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    List<String> output;
    try (ChildJvm child = ChildJvm.start("interrupted", InterruptedChild.class, List.of(
        dir.toString(),
        LeaSettings.DUCKDB_PATH + "=file:" + remote,
        LeaSettings.ON_FAILURE + "=upload-aside",
        LeaSettings.CACHE_ENABLED + "=false",
        LeaSettings.WORK_DIR + "=" + dir.resolve("child-work")), Map.of(), null)) {
      child.await("READY");
      child.terminate();
      output = child.output();
    }

    assertThat(Files.readAllBytes(remote)).isEqualTo(before);
    assertThat(remote.resolveSibling("warehouse.duckdb.lock")).doesNotExist();
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
