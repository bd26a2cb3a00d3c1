package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lea.envFile} is lea's {@code --env-file} (lea/cli.py: {@code click.Path(exists=True)},
 * loaded by lea/conductor.py with {@code dotenv.load_dotenv(env_file_path or ".env")}).
 */
class EnvFileTest {

  @TempDir Path project;

  @Test
  void theNamedFileIsReadInsteadOfTheProjectsDotEnv() throws Exception {
    Files.writeString(project.resolve(".env"), "LEA_DUCKDB_PATH=dev.duckdb\nFROM_DOTENV=1\n");
    Files.createDirectories(project.resolve("env"));
    Files.writeString(project.resolve("env/ci.env"), "LEA_DUCKDB_PATH=ci.duckdb\nFROM_CI=1\n");

    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .systemProperties(Map.of("lea.envFile", "env/ci.env")).resolve();

    assertThat(config.get(LeaSettings.DUCKDB_PATH)).isEqualTo("ci.duckdb");
    assertThat(config.source(LeaSettings.DUCKDB_PATH)).isEqualTo(Source.DOTENV);
    assertThat(config.environment()).containsEntry("FROM_CI", "1").doesNotContainKey("FROM_DOTENV");
  }

  @Test
  void theEnvironmentStillWinsOverTheFileAsWithLoadDotenv() throws Exception {
    Files.writeString(project.resolve("ci.env"), "LEA_DUCKDB_PATH=ci.duckdb\n");
    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .environment(Map.of("LEA_ENV_FILE", "ci.env", "LEA_DUCKDB_PATH", "env.duckdb")).resolve();
    assertThat(config.get(LeaSettings.DUCKDB_PATH)).isEqualTo("env.duckdb");
  }

  @Test
  void aMissingFileIsAnErrorAsInLea() {
    assertThatThrownBy(() -> ConfigResolver.builder().projectDirectory(project)
        .configuration(Map.of("lea.envFile", "nope.env")).resolve())
        .hasMessage("Cannot read the env file " + project.resolve("nope.env") + " named by"
            + " lea.envFile (LEA_ENV_FILE, from configuration): no such file. Give a path relative"
            + " to the project directory " + project + ", or leave lea.envFile unset to read its"
            + " .env.");
  }
}
