package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbTest {

  @TempDir Path dir;

  @Test
  void unloadableExtensionNamesItAndTheOfflineSettings() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.EXTENSION_DIRECTORY, dir.resolve("empty-extensions").toString())
        .with(LeaSettings.EXTENSION_REPOSITORY, dir.resolve("no-repository").toUri().toString());
    try (Connection connection = DuckDb.open(null, config)) {
      assertThatThrownBy(() -> DuckDb.load(connection, "ducklake", config))
          .isInstanceOf(LeaException.class)
          .hasMessageStartingWith("Cannot load DuckDB extension 'ducklake': ")
          .hasMessageContaining("LEA_DUCKDB_EXTENSION_DIRECTORY")
          .hasMessageContaining("LEA_DUCKDB_EXTENSION_REPOSITORY")
          .hasMessageContaining("LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS");
    }
  }

  /**
   * Issue 18: an offline user must learn where the file goes; DuckDB's layout is
   * {@code <dir>/<version>/<platform>/<name>.duckdb_extension}, read here from the running DuckDB.
   */
  @Test
  void unloadableExtensionNamesTheSearchedDirectoryAndTheExpectedFileAndDuckDbsReasonOnce()
      throws Exception {
    Path extensions = dir.resolve("empty-extensions");
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.EXTENSION_DIRECTORY, extensions.toString())
        .with(LeaSettings.EXTENSION_REPOSITORY, dir.resolve("no-repository").toUri().toString());
    try (Connection connection = DuckDb.open(null, config);
        ResultSet duckdb = connection.createStatement().executeQuery("SELECT library_version,"
            + " (SELECT platform FROM pragma_platform()) FROM pragma_version()")) {
      duckdb.next();
      String version = duckdb.getString(1);
      Path expected = extensions.resolve(version).resolve(duckdb.getString(2))
          .resolve("ducklake.duckdb_extension");
      assertThatThrownBy(() -> DuckDb.load(connection, "ducklake", config))
          .isInstanceOf(LeaException.class)
          .hasMessageContaining("DuckDB " + version + " searched " + extensions
              + " and expected " + expected + " there.")
          .satisfies(e -> assertThat(e.getMessage().split("Error", -1))
              .as("DuckDB's reason once: %s", e.getMessage()).hasSize(2));
    }
  }

  @Test
  void extensionNamesAreCheckedBeforeReachingSql() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir);
    try (Connection connection = DuckDb.open(null, config)) {
      assertThatThrownBy(() -> DuckDb.load(connection, "x; DROP TABLE y", config))
          .hasMessage("Cannot load DuckDB extension 'x; DROP TABLE y': extension names are"
              + " letters, digits and underscores.");
    }
  }

  @Test
  void refusedSecretIsReportedWithoutItsValue() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_SECRETS, "TYPE nonsense, KEY_ID 'AKIA-TOP-SECRET'");
    try (Connection connection = DuckDb.open(null, config)) {
      assertThatThrownBy(() -> DuckDb.createSecrets(connection, config))
          .hasMessageStartingWith("Cannot create DuckDB secret #1 of lea.ducklake.secret and"
              + " lea.duckdb.secrets")
          .hasMessageNotContaining("AKIA-TOP-SECRET");
    }
  }

  @Test
  void opensAFileDatabase() throws Exception {
    Path file = dir.resolve("w.duckdb");
    try (Connection connection = DuckDb.open(file.toString(), LeaConfig.defaults(dir));
        ResultSet rs = connection.createStatement().executeQuery("SELECT 40 + 2")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
    assertThat(file).exists();
  }

  @Test
  void leasDuckLakeSecretKeyIsUsedAndNeverEchoed() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKLAKE_SECRET, "TYPE nonsense, KEY_ID 'AKIA-LEA-STYLE'");
    try (Connection connection = DuckDb.open(null, config)) {
      assertThatThrownBy(() -> DuckDb.createSecrets(connection, config))
          .hasMessageStartingWith("Cannot create DuckDB secret #1 of lea.ducklake.secret")
          .hasMessageNotContaining("AKIA-LEA-STYLE");
    }
  }
}
