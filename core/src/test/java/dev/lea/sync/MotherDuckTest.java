package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LEA_WAREHOUSE=motherduck} as lea reads it (lea/conductor.py: {@code LEA_MOTHERDUCK_DATABASE},
 * its stem as the dataset, {@code ATTACH 'md:'}, {@code CREATE DATABASE IF NOT EXISTS}, {@code USE};
 * README: the token in {@code MOTHERDUCK_TOKEN}). MotherDuck cannot be reached from here: this
 * covers the configuration and the offline failure, never printing the token.
 */
class MotherDuckTest {

  private static final String TOKEN = "md-token-very-secret-123";

  @TempDir Path project;

  private LeaConfig config(Map<String, String> environment, String... properties) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      values.put(properties[i], properties[i + 1]);
    }
    return ConfigResolver.builder().projectDirectory(project).environment(environment)
        .systemProperties(values).resolve();
  }

  @Test
  void leasVariablesSelectMotherDuck() {
    LeaConfig config = config(Map.of("LEA_WAREHOUSE", "motherduck",
        "LEA_MOTHERDUCK_DATABASE", "bike_sharing", "LEA_USERNAME", "max"));
    assertThat(config.warehouse()).isEqualTo("motherduck");
    assertThat(MotherDuck.database(config)).isEqualTo("bike_sharing_max");
    assertThat(MotherDuck.database(config.with(LeaSettings.PRODUCTION, "true")))
        .isEqualTo("bike_sharing");
  }

  @Test
  void theDatabaseIsTheStemAsInLeaAndLeaDatasetReplacesIt() {
    Map<String, String> environment = Map.of("LEA_WAREHOUSE", "motherduck",
        "LEA_MOTHERDUCK_DATABASE", "analytics.db", "LEA_USERNAME", "max");
    assertThat(MotherDuck.database(config(environment))).isEqualTo("analytics_max");
    assertThat(MotherDuck.database(config(environment, "lea.dataset", "sandbox",
        "lea.production", "true"))).isEqualTo("sandbox");
  }

  @Test
  void aMissingDatabaseIsNamed() {
    assertThatThrownBy(() -> MotherDuck.open(config(Map.of("LEA_WAREHOUSE", "motherduck",
        MotherDuck.TOKEN_VARIABLE, TOKEN))))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot attach MotherDuck: lea.motherduck.database (LEA_MOTHERDUCK_DATABASE)"
            + " is not set. Set it to the database to write, as for lea.");
  }

  @Test
  void aMissingTokenIsNamed() {
    assertThatThrownBy(() -> MotherDuck.open(config(Map.of("LEA_WAREHOUSE", "motherduck",
        "LEA_MOTHERDUCK_DATABASE", "bike_sharing", "LEA_USERNAME", "max"))))
        .hasMessageStartingWith("Cannot attach MotherDuck: MOTHERDUCK_TOKEN is not set, in the"
            + " environment or the .env file.");
  }

  @Test
  void offlineTheExtensionIsNamedWithTheOfflineSettingsAndTheTokenIsNeverPrinted()
      throws Exception {
    Path empty = Files.createDirectories(project.resolve("empty-extensions"));
    Files.writeString(project.resolve(".env"), MotherDuck.TOKEN_VARIABLE + "=" + TOKEN + "\n");
    LeaConfig config = config(Map.of("LEA_WAREHOUSE", "motherduck",
        "LEA_MOTHERDUCK_DATABASE", "bike_sharing", "LEA_USERNAME", "max",
        "LEA_DUCKDB_EXTENSION_DIRECTORY", empty.toString(),
        "LEA_DUCKDB_EXTENSION_REPOSITORY", project.resolve("no-repository").toUri().toString()));

    assertThatThrownBy(() -> MotherDuck.open(config))
        .isInstanceOfSatisfying(LeaException.class, e -> {
          assertThat(e.kind()).isEqualTo(LeaException.Kind.INFRASTRUCTURE);
          StringWriter trace = new StringWriter();
          e.printStackTrace(new PrintWriter(trace));
          assertThat(trace.toString()).doesNotContain(TOKEN);
        })
        .hasMessageStartingWith("Cannot load DuckDB extension 'motherduck': ")
        .hasMessageContaining("LEA_DUCKDB_EXTENSION_DIRECTORY");
  }

  /** A run goes to MotherDuck itself, never to the DuckLake catalog settings it does not use. */
  @Test
  void aSessionAttachesMotherDuckInPlace() throws Exception {
    Path empty = Files.createDirectories(project.resolve("empty-extensions"));
    LeaConfig config = config(Map.of("LEA_WAREHOUSE", "motherduck",
        "LEA_MOTHERDUCK_DATABASE", "bike_sharing", MotherDuck.TOKEN_VARIABLE, TOKEN,
        "LEA_DUCKDB_EXTENSION_DIRECTORY", empty.toString(),
        "LEA_DUCKDB_EXTENSION_REPOSITORY", project.resolve("no-repository").toUri().toString()));

    assertThatThrownBy(() -> CatalogSync.open(config))
        .hasMessageStartingWith("Cannot load DuckDB extension 'motherduck': ")
        .hasMessageNotContaining(LeaSettings.CATALOG_URL)
        .hasMessageNotContaining(TOKEN);
  }
}
