package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18, "Messages": what {@link Lea#run} prints, as a user reads it. */
class RunOutputTest {

  @TempDir Path project;
  private final List<String> output = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    LeaProject.in(project)
        .script("core/a.sql", "SELECT\n    -- #UNIQUE\n    range AS x\nFROM range(3)\n")
        .script("core/b.sql", "SELECT\n    -- #UNIQUE\n    x\nFROM core.a\n")
        .test("no_negatives.sql", "SELECT * FROM core.b WHERE x < 0\n");
  }

  private LeaConfig config() {
    return LeaProject.in(project).production();
  }

  /** It was printed three times: when the script failed, after the summary, and as the error. */
  @Test
  void aFailedRunPrintsItsFailureOnce() throws Exception {
    Files.writeString(project.resolve("scripts/core/b.sql"), "SELECT x FROM core.a_typo\n");
    LeaException failure = catchThrowableOfType(LeaException.class,
        () -> Lea.run(config(), Reporters.collecting(output)));
    String everything = String.join("\n", output) + "\n" + failure.getMessage();
    assertThat(occurrences(everything, "a_typo does not exist")).as(everything).isEqualTo(1);
    assertThat(failure.getMessage()).contains("Cannot run core.b: ");
    assertThat(output).anyMatch(line -> line.matches("core\\.b: failed, \\d+\\.\\d\\d s"));
  }

  @Test
  void theFirstLineCountsScriptsTestsAndWhatIsNotSelectedAndAddsUp() {
    Lea.run(config().with(LeaSettings.SELECT, "core.a"), Reporters.collecting(output));
    // What follows the counts (how many run at once) is the scheduler's to say.
    assertThat(output).anyMatch(line -> line.matches("Running 2 of 5: 1 script, 1 test;"
        + " not running 3: 3 not selected(;.*)?"));
    output.clear();
    Lea.run(config(), Reporters.collecting(output));
    assertThat(output).anyMatch(line -> line.matches("Running 5 of 5: 2 scripts, 3 tests(;.*)?"));
  }

  @Test
  void aResumedScriptIsCountedAsNotRunning() throws Exception {
    Files.writeString(project.resolve("scripts/core/b.sql"), "SELECT x FROM core.a_typo\n");
    catchThrowableOfType(LeaException.class, () -> Lea.run(config(), Reporter.silent()));
    Files.writeString(project.resolve("scripts/core/b.sql"),
        "SELECT\n    -- #UNIQUE\n    x\nFROM core.a\n");

    Lea.run(config(), Reporters.collecting(output));

    assertThat(output).anyMatch(line -> line.startsWith("Running 4 of 5: 1 script, 3 tests; not"
        + " running 1: 1 resumed from the audit tables of an earlier failed run (core.a)"));
  }

  @Test
  void theFirstLinesSayDevOrProductionAndTheLockTaken() {
    LeaConfig dev = config().with(LeaSettings.PRODUCTION, "false")
        .with(LeaSettings.USERNAME, "max");
    Lea.run(dev, Reporters.collecting(output));
    assertThat(output.get(0)).isEqualTo("Dev run for max: writing file:bucket/warehouse_max.duckdb"
        + " (lea.production=true writes file:bucket/warehouse.duckdb).");
    assertThat(output.subList(0, 3)).anyMatch(line -> line.matches("Holding the lock-file lock on"
        + " file:.*/bucket/warehouse_max\\.duckdb as run \\S+ until the catalog is uploaded\\."));

    output.clear();
    Lea.run(config().with(LeaSettings.LOCK, "conditional-write"), Reporters.collecting(output));
    assertThat(output.get(0))
        .isEqualTo("Production run (lea.production=true): writing file:bucket/warehouse.duckdb.");
    assertThat(output.subList(0, 3)).anyMatch(line -> line.startsWith("No lock object"
        + " (lea.ducklake.lock=conditional-write): the upload succeeds only if file:"));
  }

  @Test
  void statusHidesDuckLakeSettingsForAPlainDuckDbWarehouse() {
    List<String> status = Lea.status(config());
    assertThat(status).noneMatch(line -> line.contains(LeaSettings.CATALOG_FORMAT)
        || line.contains(LeaSettings.MAINTENANCE));
    assertThat(status).anyMatch(line -> line.contains(LeaSettings.TRANSPORT));

    assertThat(Lea.status(config().with(LeaSettings.CATALOG_FORMAT, "duckdb")))
        .anyMatch(line -> line.startsWith("  " + LeaSettings.CATALOG_FORMAT)
            && line.endsWith("(configuration; not used by a plain DuckDB warehouse)"));
  }

  private static int occurrences(String text, String part) {
    Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }
}
