package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.RunResult;
import dev.lea.runner.ScriptRun;
import dev.lea.spi.Reporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lea.print} is lea's {@code --print} (lea/cli.py), which makes lea's database clients print
 * each query (lea/databases.py, {@code if self.print_mode: rich.print(script)}). lea-java prints
 * the rendered SQL of the selected scripts and tests, in run order, and runs nothing: no lock, no
 * download, no upload.
 */
class LeaPrintTest {

  @TempDir Path project;
  private final List<String> output = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    LeaProject.in(project)
        .script("staging/numbers.sql.jinja", "SELECT range AS n FROM range({{ 2 + 3 }})\n")
        .script("core/numbers.sql", "SELECT\n    -- #UNIQUE\n    n\nFROM staging.numbers;\n");
  }

  private LeaConfig config() {
    return LeaProject.in(project).config()
        .with(LeaSettings.USERNAME, "max")
        .with(LeaSettings.PRINT, "true");
  }

  private Reporter reporter() {
    return Reporters.collecting(output);
  }

  @Test
  void printsTheRenderedSqlInRunOrderAndRunsNothing() {
    RunResult result = Lea.run(config(), reporter());

    String printed = String.join("\n", output);
    assertThat(printed).contains("-- staging.numbers (scripts/staging/numbers.sql.jinja)\n"
        + "SELECT range AS n FROM range(5);");
    assertThat(printed).contains("-- core.numbers (scripts/core/numbers.sql)\nSELECT");
    assertThat(printed.indexOf("-- staging.numbers")).isLessThan(printed.indexOf("-- core.numbers"));
    assertThat(printed).contains("-- tests.core__numbers__n___unique");
    assertThat(result.dryRun()).isTrue();
    assertThat(result.scripts()).extracting(ScriptRun::status).containsOnly(ScriptRun.Status.PLANNED);
    assertThat(project.resolve("bucket")).doesNotExist();
  }

  @Test
  void printsOnlyTheSelection() {
    Lea.run(config().with(LeaSettings.SELECT, "staging.numbers"), reporter());
    String printed = String.join("\n", output);
    assertThat(printed).contains("-- staging.numbers").doesNotContain("-- core.numbers");
  }
}
