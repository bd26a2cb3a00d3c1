package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {

  @TempDir Path project;

  @Test
  void precedenceIsDefaultsThenDotEnvThenEnvironmentThenConfigurationThenSystemProperties()
      throws Exception {
    Files.writeString(project.resolve(".env"), String.join("\n",
        "# lea settings",
        "LEA_DUCKLAKE_CATALOG_URL=file:///from/dotenv.sqlite",
        "export LEA_DUCKLAKE_DATA_PATH='/data/from-dotenv'",
        "LEA_USERNAME=\"max\"",
        "LEA_LOCK_TTL=PT5M",
        "OTHER=kept for jinja"));
    LeaConfig config = ConfigResolver.builder()
        .projectDirectory(project)
        .environment(Map.of("LEA_DUCKLAKE_DATA_PATH", "/data/from-env",
            "LEA_DUCKLAKE_LOCK", "none", "LEA_LOCK_TTL", "PT3M"))
        .configuration(Map.of("lea.ducklake.lock", "none", "lea.lock.ttl", "PT4M"))
        .systemProperties(Map.of("lea.lock.ttl", "90s"))
        .resolve();

    assertThat(config.get(LeaSettings.CATALOG_URL)).isEqualTo("file:///from/dotenv.sqlite");
    assertThat(config.source(LeaSettings.CATALOG_URL)).isEqualTo(Source.DOTENV);
    assertThat(config.get(LeaSettings.DATA_PATH)).isEqualTo("/data/from-env");
    assertThat(config.source(LeaSettings.DATA_PATH)).isEqualTo(Source.ENVIRONMENT);
    assertThat(config.get(LeaSettings.LOCK)).isEqualTo("none");
    assertThat(config.source(LeaSettings.LOCK)).isEqualTo(Source.CONFIGURATION);
    assertThat(config.duration(LeaSettings.LOCK_TTL)).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.source(LeaSettings.LOCK_TTL)).isEqualTo(Source.SYSTEM_PROPERTY);
    assertThat(config.get(LeaSettings.USERNAME)).isEqualTo("max");
    assertThat(config.get(LeaSettings.TRANSPORT)).isEqualTo(LeaSettings.TRANSPORT_DEFAULT);
    assertThat(config.source(LeaSettings.TRANSPORT)).isEqualTo(Source.DEFAULT);
    assertThat(config.environment()).containsEntry("OTHER", "kept for jinja");
    assertThat(config.warehouse()).isEqualTo("ducklake");
  }

  @Test
  void environmentNamesFollowLea() {
    assertThat(LeaSettings.byProperty(LeaSettings.CATALOG_URL).environmentName())
        .isEqualTo("LEA_DUCKLAKE_CATALOG_URL");
    assertThat(LeaSettings.byProperty(LeaSettings.ON_FAILURE).environmentName())
        .isEqualTo("LEA_DUCKLAKE_ON_FAILURE");
    assertThat(LeaSettings.byProperty(LeaSettings.DUCKDB_PATH).environmentName())
        .isEqualTo("LEA_DUCKDB_PATH");
    assertThat(new Setting("lea.r2.accountId", null, Setting.Type.STRING, List.of(), false, "")
        .environmentName()).isEqualTo("LEA_R2_ACCOUNT_ID");
  }

  @Test
  void invalidChoiceNamesKeyValueSourceAndValidValues() {
    assertThatThrownBy(() -> ConfigResolver.builder().projectDirectory(project)
        .environment(Map.of("LEA_DUCKLAKE_CATALOG_FORMAT", "postgresql")).resolve())
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use 'postgresql' for lea.ducklake.catalogFormat"
            + " (LEA_DUCKLAKE_CATALOG_FORMAT, from environment): valid values: sqlite, duckdb.");
  }

  @Test
  void badDurationAndBooleanAreRefused() {
    assertThatThrownBy(() -> ConfigResolver.builder().projectDirectory(project)
        .configuration(Map.of("lea.lock.ttl", "two minutes")).resolve())
        .hasMessageStartingWith("Cannot use 'two minutes' for lea.lock.ttl")
        .hasMessageEndingWith("expected a duration from PT1S to P1D, such as PT2M, 90s, 5m or"
            + " 1h.");
    assertThatThrownBy(() -> ConfigResolver.builder().projectDirectory(project)
        .configuration(Map.of("lea.dryRun", "yes")).resolve())
        .hasMessageEndingWith("valid values: true, false.");
  }

  @Test
  void unknownConfigurationKeyIsAnError() {
    assertThatThrownBy(() -> ConfigResolver.builder().projectDirectory(project)
        .configuration(Map.of("lea.ducklake.catalogUri", "s3://b/k")).resolve())
        .hasMessageStartingWith("Cannot resolve configuration: lea.ducklake.catalogUri (from"
            + " configuration) is not a lea-java setting; did you mean lea.ducklake.catalogUrl?");
  }

  @Test
  void secretsAreMaskedInDescriptionsAndErrors() {
    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .environment(Map.of("LEA_DUCKDB_SECRETS", "TYPE s3, KEY_ID 'AKIAXXX', SECRET 'hunter2'"))
        .resolve();
    assertThat(config.describe())
        .filteredOn(v -> v.setting().property().equals(LeaSettings.DUCKDB_SECRETS))
        .singleElement()
        .satisfies(v -> assertThat(v.display()).isEqualTo("****"));
    assertThat(config.toString()).doesNotContain("hunter2").contains("lea.duckdb.secrets=****");
    assertThat(config.secretValues()).containsExactly("TYPE s3, KEY_ID 'AKIAXXX', SECRET 'hunter2'");
  }

  @Test
  void malformedDotEnvLineIsReportedWithItsNumber() throws Exception {
    Files.writeString(project.resolve(".env"), "LEA_WAREHOUSE=duckdb\nthis is not a setting\n");
    assertThatThrownBy(() -> ConfigResolver.builder().projectDirectory(project).resolve())
        .hasMessage("Cannot read " + project.resolve(".env") + ": line 2 is not KEY=value."
            + " Fix or remove that line.");
  }

  @Test
  void warehouseIsInferredFromTheCatalogKeys() {
    LeaConfig plain = LeaConfig.defaults(project);
    assertThat(plain.warehouse()).isEqualTo("duckdb");
    assertThat(plain.with(LeaSettings.CATALOG_DATABASE, "meta.ducklake").warehouse())
        .isEqualTo("ducklake");
    assertThat(plain.with(LeaSettings.WAREHOUSE, "duckdb")
        .with(LeaSettings.CATALOG_URL, "s3://b/c.sqlite").warehouse()).isEqualTo("duckdb");
  }

  @Test
  void sizesAndDurationsAcceptCommonForms() {
    assertThat(ConfigResolver.parseSize("64MiB")).isEqualTo(64L << 20);
    assertThat(ConfigResolver.parseSize("1GB")).isEqualTo(1L << 30);
    assertThat(ConfigResolver.parseSize("4096")).isEqualTo(4096);
    assertThat(ConfigResolver.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ConfigResolver.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> ConfigResolver.parseSize("-1")).isInstanceOf(IllegalArgumentException.class);
  }
}
