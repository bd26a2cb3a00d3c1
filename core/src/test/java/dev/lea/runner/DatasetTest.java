package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lea.dataset} is lea's {@code --dataset} (lea/cli.py): the base name of the warehouse.
 * lea's DuckDB client renames its file with {@code database_path.with_stem(dataset)} and the dev
 * suffix {@code _<username>} still applies (lea/conductor.py, {@code dataset_name_with_username}).
 */
class DatasetTest {

  @TempDir Path project;

  private LeaConfig config(Map<String, String> environment, Map<String, String> properties) {
    return ConfigResolver.builder().projectDirectory(project).environment(environment)
        .systemProperties(properties).resolve();
  }

  @Test
  void aDuckDbWarehouseFileIsRenamedAndKeepsTheDevSuffix() {
    Map<String, String> environment = Map.of("LEA_WAREHOUSE", "duckdb",
        "LEA_DUCKDB_PATH", "data/warehouse.duckdb", "LEA_USERNAME", "max");
    assertThat(DevEnvironment.apply(config(environment, Map.of("lea.dataset", "sandbox")))
        .get(LeaSettings.DUCKDB_PATH)).isEqualTo("data/sandbox_max.duckdb");
    assertThat(DevEnvironment.apply(config(environment, Map.of("lea.dataset", "sandbox",
        "lea.production", "true"))).get(LeaSettings.DUCKDB_PATH)).isEqualTo("data/sandbox.duckdb");
    assertThat(DevEnvironment.apply(config(environment, Map.of())).get(LeaSettings.DUCKDB_PATH))
        .isEqualTo("data/warehouse_max.duckdb");
  }

  @Test
  void aRemoteCatalogIsRenamedTheSameWay() {
    Map<String, String> environment = Map.of("LEA_DUCKLAKE_CATALOG_URL",
        "s3://bucket/lake/catalog.sqlite", "LEA_USERNAME", "max");
    assertThat(DevEnvironment.apply(config(environment, Map.of("lea.dataset", "ci_42")))
        .get(LeaSettings.CATALOG_URL)).isEqualTo("s3://bucket/lake/ci_42_max.sqlite");
  }

  @Test
  void aDatasetThatIsNotANameIsRefused() {
    Map<String, String> environment = Map.of("LEA_DUCKDB_PATH", "w.duckdb",
        "LEA_USERNAME", "max");
    LeaConfig config = config(environment, Map.of("lea.dataset", "../x"));
    assertThatThrownBy(() -> DevEnvironment.apply(config))
        .hasMessage("Cannot use '../x' for lea.dataset (LEA_DATASET): a dataset name is letters,"
            + " digits, '_' and '-', as lea's --dataset names a database.");
  }
}
