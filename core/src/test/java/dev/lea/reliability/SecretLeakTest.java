package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.lea.Lea;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.Reporters;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red-team finding 6: secrets reached the build log. Real failing runs through {@link Lea}: every
 * line reported, the full stack trace of every exception (messages of all causes and suppressed
 * ones), and every {@code lea:status} line are scanned for each secret.
 */
class SecretLeakTest {

  private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String GITHUB_TOKEN = "ghp_R3dT3amT0kenFromDotEnv000000000000";
  private static final String DB_PASSWORD = "Corr3ct-Horse-Battery";
  private static final String URL_PASSWORD = "UrlPassw0rd-in-userinfo";
  private static final String DUCKDB_KEY_ID = "AKIAREDTEAMDUCKDBKEY";
  private static final String DUCKDB_SECRET = "duckdb-secret-setting-value";

  @TempDir Path project;
  private final List<String> printed = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    Files.createDirectories(project.resolve("scripts/core"));
    Files.writeString(project.resolve(".env"), "GITHUB_TOKEN=" + GITHUB_TOKEN + "\n");
  }

  private boolean withDuckDbSecret;

  private Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
    environment.put("PGPASSWORD", DB_PASSWORD);
    environment.put("HOME", System.getProperty("user.home"));
    if (withDuckDbSecret) {
      environment.put("LEA_DUCKDB_SECRETS",
          "TYPE s3, KEY_ID '" + DUCKDB_KEY_ID + "', SECRET '" + DUCKDB_SECRET + "'");
    }
    for (String offline : List.of("LEA_DUCKDB_EXTENSION_DIRECTORY",
        "LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS")) {
      Optional.ofNullable(System.getenv(offline)).ifPresent(v -> environment.put(offline, v));
    }
    return environment;
  }

  private LeaConfig config(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(Map.of(
        LeaSettings.PRODUCTION, "true",
        LeaSettings.CACHE_DIR, project.resolve("cache").toString()));
    all.putAll(properties);
    return ConfigResolver.builder().projectDirectory(project).environment(environment())
        .systemProperties(all).resolve();
  }

  private Reporter reporter() {
    return Reporters.collectingEveryLevel(printed);
  }

  @Test
  void aFailingJinjaScriptDoesNotPrintTheSecretsItRendered() throws Exception {
    Files.writeString(project.resolve("scripts/core/leak.sql.jinja"), String.join("\n",
        "SELECT",
        "  '{{ env.AWS_SECRET_ACCESS_KEY }}' || '{{ env.GITHUB_TOKEN }}' || '{{ env.PGPASSWORD }}'"
            + " || no_such_column AS leaked",
        "FROM range(1)",
        ""));
    LeaConfig config = config(Map.of(LeaSettings.DUCKDB_PATH, "file:bucket/warehouse.duckdb"));

    assertThatThrownBy(() -> Lea.run(config, reporter()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("core.leak")
        .hasMessageContaining("no_such_column")
        .satisfies(e -> printed.add(stackTrace(e)));
    printed.addAll(Lea.status(config));

    assertNoSecretIn(printed);
    assertThat(String.join("\n", printed)).contains("'****' || '****' || '****' || no_such_column");
  }

  @Test
  void theValuesOfSecretSettingsAreScrubbedEvenWhenAScriptRendersThemApart() throws Exception {
    withDuckDbSecret = true;
    Files.writeString(project.resolve("scripts/core/leak.sql.jinja"), String.join("\n",
        "SELECT",
        "  '{{ env.LEA_DUCKDB_SECRETS | replace(\"'\", \"\") }}' || no_such_column AS duck",
        "FROM range(1)",
        ""));
    LeaConfig config = config(Map.of(LeaSettings.DUCKDB_PATH, "file:bucket/warehouse.duckdb"));

    Throwable failure = catchThrowable(() -> Lea.run(config, reporter()));
    assumeThat(failure.getMessage()).as("DuckDB's S3 secret type needs the httpfs extension; set"
        + " LEA_DUCKDB_EXTENSION_DIRECTORY").doesNotStartWith("Cannot create DuckDB secret");
    assertThat(failure).isInstanceOf(LeaException.class).hasMessageContaining("core.leak");
    printed.add(stackTrace(failure));
    printed.addAll(Lea.status(config));

    assertNoSecretIn(printed);
  }

  @Test
  void aCatalogUrlWithUserInfoIsNotEchoed() throws Exception {
    Files.writeString(project.resolve("scripts/core/one.sql"), "SELECT 1 AS n\n");
    Map<String, String> settings = Map.of(LeaSettings.DUCKDB_PATH,
        "recording://AKIAREDTEAM:" + URL_PASSWORD + "@bucket/lake/warehouse.duckdb");
    Lea.run(config(settings), reporter());
    printed.addAll(Lea.status(config(settings)));
    assertThatThrownBy(() -> Lea.unlock(config(settings), "some-id", reporter()))
        .satisfies(e -> printed.add(stackTrace(e)));

    LeaConfig file = config(Map.of(LeaSettings.DUCKDB_PATH,
        "file://admin:" + URL_PASSWORD + "@host/tmp/warehouse.duckdb"));
    assertThatThrownBy(() -> Lea.run(file, reporter()))
        .satisfies(e -> printed.add(stackTrace(e)));

    assertNoSecretIn(printed);
    assertThat(String.join("\n", printed)).contains("****@bucket");
  }

  private static void assertNoSecretIn(List<String> texts) {
    String all = String.join("\n", texts);
    assertThat(all).isNotBlank();
    for (String secret : List.of(AWS_SECRET, GITHUB_TOKEN, DB_PASSWORD, URL_PASSWORD,
        DUCKDB_KEY_ID, DUCKDB_SECRET)) {
      assertThat(all).as("printed output and exceptions").doesNotContain(secret);
    }
  }

  private static String stackTrace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
