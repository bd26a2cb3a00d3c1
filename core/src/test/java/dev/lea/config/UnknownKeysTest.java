package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped or lea-spelled property is an error naming the property that was meant, never
 * silently ignored (issue 14; issue 17 item 12): a mistyped dry run would otherwise publish.
 */
class UnknownKeysTest {

  @TempDir Path project;

  private ConfigResolver resolver() {
    return ConfigResolver.builder().projectDirectory(project);
  }

  private static Properties properties(String... pairs) {
    Properties properties = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      properties.setProperty(pairs[i], pairs[i + 1]);
    }
    return properties;
  }

  @Test
  void aTypoInASystemPropertyNamesTheNearestKey() {
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.lock.wiat", "PT5M"))
        .resolve())
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot resolve configuration: lea.lock.wiat (from system property) is not a"
            + " lea-java setting; did you mean lea.lock.wait? Every setting is listed in"
            + " docs/configuration.md and by mvn lea:status.");
  }

  @Test
  void aTypoUnderAnyPrefixIsAnError() {
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.selct", "core/"))
        .resolve())
        .hasMessageContaining("lea.selct (from system property) is not a lea-java setting; did you"
            + " mean lea.select?");
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.ducklake.lok", "none"))
        .resolve())
        .hasMessageContaining("did you mean lea.ducklake.lock?");
  }

  /** lea's click options (lea/cli.py) spelled as lea spells them. */
  @Test
  void leaCliSpellingsNameTheLeaJavaProperty() {
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.dry-run", "true"))
        .resolve())
        .hasMessageContaining("lea.dry-run (from system property) is lea's --dry-run; lea-java"
            + " spells it lea.dryRun.");
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.env-file", ".env.ci"))
        .resolve())
        .hasMessageContaining("lea's --env-file; lea-java spells it lea.envFile.");
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.dry_run", "true"))
        .resolve())
        .hasMessageContaining("lea-java spells it lea.dryRun.");
  }

  @Test
  void aWrongCaseNamesThePropertyWithoutCallingItLeas() {
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.dryrun", "true"))
        .resolve())
        .hasMessageContaining("lea.dryrun (from system property) is not a lea-java setting; did"
            + " you mean lea.dryRun? Property names are case-sensitive.");
  }

  @Test
  void leaQuackModeIsSaidToBeUnsupported() {
    assertThatThrownBy(() -> resolver().systemProperties(properties("lea.quack", "true"))
        .resolve())
        .hasMessageContaining("lea.quack (from system property) is lea's --quack, which lea-java"
            + " does not support");
  }

  @Test
  void anUnknownKeyInThePluginConfigurationIsAnErrorToo() {
    assertThatThrownBy(() -> resolver().configuration(Map.of("lea.lock.tll", "PT5M")).resolve())
        .hasMessageContaining("lea.lock.tll (from configuration) is not a lea-java setting; did"
            + " you mean lea.lock.ttl?");
  }

  @Test
  void systemPropertiesOutsideTheLeaPrefixAreNotChecked() {
    LeaConfig config = resolver().systemProperties(properties("java.version", "17",
        "leaf.color", "green", "maven.repo.local", "/tmp/repo")).resolve();
    assertThat(config.get(LeaSettings.SELECT)).isNull();
  }

  @Test
  void keysTheFrontEndHandlesItselfAreAccepted() {
    LeaConfig config = resolver().acceptedKeys(java.util.Set.of("lea.skip", "lea.unlockId"))
        .systemProperties(properties("lea.skip", "false", "lea.unlockId", "abc")).resolve();
    assertThat(config.get(LeaSettings.SELECT)).isNull();
    assertThatThrownBy(() -> resolver().acceptedKeys(java.util.Set.of("lea.skip"))
        .systemProperties(properties("lea.skp", "true")).resolve())
        .hasMessageContaining("did you mean lea.skip?");
  }

  /**
   * The environment and .env are shared with Jinja templates ({@code env}) and with lea itself,
   * so an unknown LEA_* variable is not an error; one that is a near miss of a setting is warned
   * about.
   */
  @Test
  void unknownEnvironmentVariablesAreNotErrorsButNearMissesAreWarned() throws Exception {
    Files.writeString(project.resolve(".env"), "LEA_LOCK_WIAT=PT5M\nLEA_BQ_LOCATION=EU\n");
    LeaConfig config = resolver().environment(Map.of("LEA_QUACK_DUCKLAKE_DATA_PATH", "/q",
        "LEA_MY_TEMPLATE_VALUE", "x")).resolve();
    assertThat(config.warnings()).containsExactly("LEA_LOCK_WIAT (from .env) is not a lea-java"
        + " setting and is ignored; did you mean LEA_LOCK_WAIT?");
    assertThat(config.environment()).containsEntry("LEA_MY_TEMPLATE_VALUE", "x");
  }

  @Test
  void bigQueryIsSaidToBeUnsupported() {
    assertThatThrownBy(() -> resolver().environment(Map.of("LEA_WAREHOUSE", "bigquery"))
        .resolve())
        .hasMessageContaining("Cannot use 'bigquery' for lea.warehouse (LEA_WAREHOUSE, from"
            + " environment): valid values: duckdb, ducklake, motherduck. lea-java runs on DuckDB;"
            + " BigQuery is not supported.");
  }
}
