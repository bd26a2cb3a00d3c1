package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lea reads {@code databases.Warehouse(os.environ["LEA_WAREHOUSE"].lower())} (lea/conductor.py). */
class WarehouseNameTest {

  @TempDir Path project;

  @Test
  void theWarehouseIsReadInAnyCaseAsInLea() {
    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .environment(Map.of("LEA_WAREHOUSE", "DuckDB")).resolve();
    assertThat(config.warehouse()).isEqualTo("duckdb");
  }
}
