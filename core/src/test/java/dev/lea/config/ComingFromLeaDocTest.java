package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guide's "Coming from lea" section names every option of {@code lea run} and every
 * environment variable lea v0.19.1 reads, with the lea-java equivalent or "not supported".
 */
class ComingFromLeaDocTest {

  /** The click options of {@code lea run} and the other command in lea v0.19.1's lea/cli.py. */
  static final List<String> LEA_OPTIONS = List.of("--select", "--unselect", "--dataset",
      "--scripts", "--incremental", "--dry-run", "--print", "--production", "--restart",
      "--quack", "--quack-push", "--env-file", "lea quack-ui");

  /**
   * Every {@code os.environ} read in lea v0.19.1: lea/conductor.py, lea/cli.py, lea/dialects.py
   * (and README.md for MOTHERDUCK_TOKEN, which DuckDB's extension reads).
   */
  static final List<String> LEA_VARIABLES = List.of("LEA_WAREHOUSE", "LEA_DUCKDB_PATH",
      "LEA_DUCKDB_EXTENSIONS", "LEA_DUCKDB_SECRETS", "LEA_DUCKLAKE_CATALOG_DATABASE",
      "LEA_DUCKLAKE_DATA_PATH", "LEA_MOTHERDUCK_DATABASE", "MOTHERDUCK_TOKEN", "LEA_USERNAME",
      "LEA_BQ_DATASET_NAME", "LEA_BQ_PROJECT_ID", "LEA_BQ_LOCATION", "LEA_BQ_SCOPES",
      "LEA_BQ_SERVICE_ACCOUNT", "LEA_BQ_COMPUTE_PROJECT_ID",
      "LEA_BQ_SCRIPT_SPECIFIC_COMPUTE_PROJECT_IDS", "LEA_BQ_STORAGE_BILLING_MODEL",
      "LEA_BQ_DEFAULT_CLUSTERING_FIELDS", "LEA_BQ_BIG_BLUE_PICK_API_URL",
      "LEA_BQ_BIG_BLUE_PICK_API_KEY", "LEA_BQ_BIG_BLUE_PICK_API_ON_DEMAND_PROJECT_ID",
      "LEA_BQ_BIG_BLUE_PICK_API_REVERVATION_PROJECT_ID", "LEA_QUACK_DUCKLAKE_CATALOG_DATABASE",
      "LEA_QUACK_DUCKLAKE_DATA_PATH", "LEA_QUACK_DUCKDB_SECRETS");

  private static String section() throws Exception {
    String guide = Files.readString(Path.of("..", "docs", "guide.md"));
    int start = guide.indexOf("## Coming from lea");
    assertThat(start).as("docs/guide.md has a \"Coming from lea\" section").isNotNegative();
    int end = guide.indexOf("\n## ", start + 1);
    return guide.substring(start, end < 0 ? guide.length() : end);
  }

  @Test
  void everyLeaOptionIsInTheTable() throws Exception {
    String section = section();
    for (String option : LEA_OPTIONS) {
      assertThat(section).as("lea's %s", option).containsPattern("`" + option + "[ `]");
    }
  }

  @Test
  void everyLeaVariableIsInTheTable() throws Exception {
    String section = section();
    for (String variable : LEA_VARIABLES) {
      assertThat(section).as("lea's %s", variable).contains("`" + variable + "`");
    }
  }

  @Test
  void unsupportedFeaturesAreSaidPlainly() throws Exception {
    assertThat(section()).contains("BigQuery").contains("quack mode").contains("not supported")
        .contains("Untested against the live MotherDuck service");
  }
}
