package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every LEA_DUCKDB_SECRETS the guide's Credentials section shows for S3, R2 and GCS is one DuckDB
 * creates, placeholders filled in. {@code PROVIDER credential_chain} needs DuckDB's aws extension,
 * which the offline extension folder does not hold, so that one is checked for its type only.
 */
class GuideSecretsTest {

  private static final Pattern SECRETS = Pattern.compile("LEA_DUCKDB_SECRETS=\"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void theGuidesSecretsAreOnesDuckDbCreates() throws Exception {
    DuckLakeExtensions.assumeLoadable("httpfs");
    String guide = Files.readString(Path.of("..", "docs", "guide.md"));
    String credentials = guide.substring(guide.indexOf("## Credentials"),
        guide.indexOf("\n## ", guide.indexOf("## Credentials") + 1));
    List<String> secrets = new ArrayList<>();
    Matcher secret = SECRETS.matcher(credentials);
    while (secret.find()) {
      secrets.add(secret.group(1).replaceAll("<[^>]+>", "placeholder"));
    }
    assertThat(secrets).hasSize(3);

    List<String> types = new ArrayList<>();
    for (String body : secrets) {
      if (body.contains("credential_chain")) {
        assertThat(body).startsWith("TYPE s3,");
        types.add("s3");
        continue;
      }
      Map<String, String> environment = new HashMap<>(DuckLakeExtensions.environment());
      environment.put("LEA_DUCKDB_SECRETS", body);
      LeaConfig config = ConfigResolver.builder().projectDirectory(dir)
          .dotEnv(dir.resolve(".env-none")).environment(environment).resolve();
      try (Connection connection = DuckDb.open(null, config);
          Statement statement = connection.createStatement()) {
        DuckDb.createSecrets(connection, config);
        try (ResultSet created = statement.executeQuery("SELECT type FROM duckdb_secrets()")) {
          assertThat(created.next()).isTrue();
          types.add(created.getString(1));
        }
      }
    }
    assertThat(types).containsExactly("s3", "r2", "gcs");
  }
}
