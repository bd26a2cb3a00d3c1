package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock strategy, transport or failure policy no jar provides fails every goal before it starts,
 * as when the resolver checked the names: also where the goal would not use it (a local
 * warehouse has no lock; status applies no failure policy).
 */
class LeaNamedImplementationsTest {

  @TempDir Path project;

  @Test
  void aRunOnALocalWarehouseRefusesAnUnknownLockStrategy() throws Exception {
    Files.createDirectories(project.resolve("scripts/core"));
    Files.writeString(project.resolve("scripts/core/one.sql"), "SELECT 1 AS n\n");
    LeaConfig config = LeaConfig.defaults(project)
        .with(LeaSettings.DUCKDB_PATH, project.resolve("warehouse.duckdb").toString())
        .with(LeaSettings.LOCK, "lockfile");
    assertThatThrownBy(() -> Lea.run(config, Reporter.silent()))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use 'lockfile' for lea.ducklake.lock (LEA_DUCKLAKE_LOCK, from"
            + " configuration): valid values: conditional-write, lock-file, none.");
    assertThat(project.resolve("warehouse_" + config.username() + ".duckdb")).doesNotExist();
  }

  @Test
  void statusRefusesAnUnknownFailurePolicy() {
    LeaConfig config = LeaConfig.defaults(project)
        .with(LeaSettings.ON_FAILURE, "upload-sometimes");
    assertThatThrownBy(() -> Lea.status(config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use 'upload-sometimes' for lea.ducklake.onFailure"
            + " (LEA_DUCKLAKE_ON_FAILURE, from configuration): valid values: upload-always,"
            + " upload-aside, upload-on-success.");
  }

  @Test
  void statusRefusesAnUnknownTransport() {
    LeaConfig config = LeaConfig.defaults(project).with(LeaSettings.TRANSPORT, "rsync");
    assertThatThrownBy(() -> Lea.status(config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use 'rsync' for lea.ducklake.transport (LEA_DUCKLAKE_TRANSPORT, from"
            + " configuration): valid values: chunked, object-copy, parquet-blob.");
  }
}
