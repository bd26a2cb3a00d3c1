package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DevLocationTest {

  @TempDir
  Path directory;

  @ParameterizedTest
  @CsvSource({
      "warehouse.duckdb, warehouse_max.duckdb",
      "data/warehouse.duckdb, data/warehouse_max.duckdb",
      "s3://bucket/lake/catalog.sqlite, s3://bucket/lake/catalog_max.sqlite",
      "gs://bucket/v1.2/catalog, gs://bucket/v1.2/catalog_max",
      "file:/tmp/lake/catalog.tar.gz, file:/tmp/lake/catalog.tar_max.gz",
      "s3://bucket/data/, s3://bucket/data_max/",
      "metadata.ducklake, metadata_max.ducklake"})
  void suffixesTheLastSegmentBeforeItsExtension(String location, String dev) {
    assertThat(LeaRunner.devLocation(location, "max")).isEqualTo(dev);
  }

  private LeaConfig config(Map<String, String> environment, String... properties) {
    Map<String, String> configuration = new java.util.HashMap<>(Map.of(
        "lea.ducklake.transport", "", "lea.ducklake.lock", ""));
    for (int i = 0; i < properties.length; i += 2) {
      configuration.put(properties[i], properties[i + 1]);
    }
    return ConfigResolver.builder().projectDirectory(directory)
        .dotEnv(directory.resolve(".env")).environment(environment)
        .configuration(configuration).resolve();
  }

  @Test
  void devRunsUseTheUsernameAndProductionTheConfiguredName() {
    LeaConfig dev = config(Map.of("LEA_USERNAME", "ada"));

    assertThat(LeaRunner.effectiveLocation("s3://b/catalog.sqlite", dev))
        .isEqualTo("s3://b/catalog_ada.sqlite");
    assertThat(LeaRunner.effectiveLocation("s3://b/catalog.sqlite",
        config(Map.of("LEA_USERNAME", "ada"), "lea.production", "true")))
        .isEqualTo("s3://b/catalog.sqlite");
  }

  @Test
  void withoutLeaUsernameTheLoginNameIsUsed() {
    assertThat(config(Map.of()).username()).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void aUsernameThatWouldBreakPathsIsRefused() {
    assertThatThrownBy(() -> config(Map.of("LEA_USERNAME", "../ada")).username())
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use '../ada' as the dev environment suffix: it must be letters,"
            + " digits, '_', '-' or '.'. Set lea.username (LEA_USERNAME).");
  }
}
