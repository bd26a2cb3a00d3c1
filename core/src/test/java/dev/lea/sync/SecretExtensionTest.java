package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret whose type lives in an extension (s3, r2, gcs: httpfs) is refused by DuckDB when that
 * extension cannot be loaded; the message says so and names the offline settings, not "check its
 * TYPE and keys" (issue 14). The secret's values are never printed.
 */
class SecretExtensionTest {

  @TempDir Path dir;

  private static final String SECRET = "TYPE s3, KEY_ID 'AKIA-TOP-SECRET', SECRET 'hunter2-xyz'";

  @Test
  void aSecretWhoseExtensionCannotBeLoadedSaysSo() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-extensions"));
    LeaConfig config = ConfigResolver.builder().projectDirectory(dir)
        .environment(Map.of("LEA_DUCKDB_EXTENSION_DIRECTORY", empty.toString(),
            "LEA_DUCKDB_EXTENSION_REPOSITORY", dir.resolve("no-repository").toUri().toString(),
            "LEA_DUCKDB_SECRETS", SECRET))
        .resolve();
    try (Connection connection = DuckDb.open(null, config)) {
      assertThatThrownBy(() -> DuckDb.createSecrets(connection, config))
          .isInstanceOfSatisfying(LeaException.class,
              e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.INFRASTRUCTURE))
          .hasMessageStartingWith("Cannot create DuckDB secret #1 of lea.ducklake.secret and"
              + " lea.duckdb.secrets (LEA_DUCKLAKE_SECRET, LEA_DUCKDB_SECRETS): a secret of TYPE"
              + " s3 needs DuckDB's httpfs extension, which cannot be loaded: ")
          .hasMessageContaining("LEA_DUCKDB_EXTENSION_DIRECTORY (lea.duckdb.extensionDirectory")
          .hasMessageContaining("LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS")
          .hasMessageNotContaining("TYPE and keys")
          .hasMessageNotContaining("AKIA-TOP-SECRET")
          .hasMessageNotContaining("hunter2-xyz");
    }
  }

  /** With the offline extension folder (HELPERS: /work/shared/duckdb-extensions) it just works. */
  @Test
  void theSameSecretIsCreatedWhenHttpfsLoads() throws Exception {
    Map<String, String> environment = new HashMap<>();
    for (String name : new String[] {"LEA_DUCKDB_EXTENSION_DIRECTORY",
        "LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS"}) {
      if (System.getenv(name) != null) {
        environment.put(name, System.getenv(name));
      }
    }
    environment.put("LEA_DUCKDB_SECRETS", SECRET);
    LeaConfig config = ConfigResolver.builder().projectDirectory(dir).environment(environment)
        .resolve();
    DuckLakeExtensions.assumeLoadable("httpfs");
    try (Connection connection = DuckDb.open(null, config)) {
      DuckDb.createSecrets(connection, config);
      try (ResultSet rs = connection.createStatement()
          .executeQuery("SELECT type FROM duckdb_secrets()")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("s3");
      }
    }
  }

  @Test
  void aSecretDuckDbRefusesForItsKeysStillSaysCheckTheKeys() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_SECRETS, "TYPE nonsense, KEY_ID 'AKIA-TOP-SECRET'");
    try (Connection connection = DuckDb.open(null, config)) {
      assertThatThrownBy(() -> DuckDb.createSecrets(connection, config))
          .hasMessageContaining("Check its TYPE and keys")
          .hasMessageNotContaining("AKIA-TOP-SECRET");
    }
  }
}
