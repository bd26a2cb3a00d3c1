package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link Scrubber} masks, and what it must leave alone so messages stay readable. */
class ScrubberTest {

  @ParameterizedTest
  @ValueSource(strings = {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "NPM_TOKEN", "PGPASSWORD",
      "DB_PASSWD", "SECRET_KEY_BASE", "STRIPE_API_KEY", "MY_APIKEY", "CLIENTSECRET",
      "GOOGLE_APPLICATION_CREDENTIALS", "AWS_ACCESS_KEY_ID", "db-pass", "mysql.pwd", "GPG_KEY"})
  void credentialLikeNamesAreSecrets(String name) {
    assertThat(Scrubber.isCredentialName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PWD", "OLDPWD", "KEYBOARD_LAYOUT", "MONKEY", "TOKENIZERS_PARALLELISM",
      "SSH_AUTH_SOCK", "AWS_SHARED_CREDENTIALS_FILE", "SSH_KEY_PATH", "PASSWORD_STORE_DIR",
      "HOME", "PATH", "GIT_ASKPASS", "KEYCLOAK_URL"})
  void otherNamesAreNot(String name) {
    assertThat(Scrubber.isCredentialName(name)).isFalse();
  }

  @Test
  void credentialEnvironmentIsMaskedButShortValuesAndOrdinaryVariablesAreNot() {
    Scrubber scrubber = Scrubber.of(Map.of(
        "GITHUB_TOKEN", "ghp_0123456789abcdef",
        "USE_TOKEN", "true",
        "API_KEY", "1234567",
        "PWD", "/home/runner/work",
        "TOKENIZERS_PARALLELISM", "false-but-long",
        "HOME", "/home/runner"), Map.of());

    assertThat(scrubber.scrub("token ghp_0123456789abcdef in /home/runner/work, 1234567, true,"
        + " false-but-long"))
        .isEqualTo("token **** in /home/runner/work, 1234567, true, false-but-long");
  }

  @Test
  void secretSettingsAreMaskedWholeAndByEachCredentialLiteralInside() {
    Scrubber scrubber = Scrubber.of(Map.of(), Map.of(LeaSettings.DUCKDB_SECRETS,
        "TYPE s3, KEY_ID 'AKIAEXAMPLE', SECRET \"s3cr3t-value\", REGION 'eu-west-1',"
            + " SCOPE 's3://bucket/lake'; SET s3_session_token='session-token-1'"));

    assertThat(scrubber.scrub("rendered: KEY_ID AKIAEXAMPLE, SECRET s3cr3t-value, token"
        + " session-token-1, REGION eu-west-1, SCOPE s3://bucket/lake"))
        .isEqualTo("rendered: KEY_ID ****, SECRET ****, token ****, REGION eu-west-1,"
            + " SCOPE s3://bucket/lake");
    assertThat(scrubber.scrub("TYPE s3, KEY_ID 'AKIAEXAMPLE', SECRET \"s3cr3t-value\","
        + " REGION 'eu-west-1', SCOPE 's3://bucket/lake'; SET s3_session_token='session-token-1'"))
        .isEqualTo("****");
  }

  @Test
  void urlUserInfoAndPasswordPairsAreMaskedWhateverTheirValue() {
    Scrubber shapes = Scrubber.shapes();
    assertThat(shapes.scrub("Cannot open s3://AKIA:pw@bucket/k and https://ghp_tok@github.com/x"))
        .isEqualTo("Cannot open s3://****@bucket/k and https://****@github.com/x");
    assertThat(shapes.scrub("ducklake:postgres:dbname=lake host=db password=hunter2 user=me"))
        .isEqualTo("ducklake:postgres:dbname=lake host=db password=**** user=me");
    assertThat(shapes.scrub("file:///tmp/a@b/c.duckdb, s3://bucket/x@y, mail me@host"))
        .isEqualTo("file:///tmp/a@b/c.duckdb, s3://bucket/x@y, mail me@host");
  }

  @Test
  void userInfoPasswordsGivenInSettingsAreMaskedWhereverTheyAppear() {
    Scrubber scrubber = Scrubber.of(Map.of(),
        Map.of(LeaSettings.CATALOG_URL, "s3://AKIA:pass-from-url@bucket/lake/c.sqlite"));

    assertThat(scrubber.scrub("bucket 'AKIA:pass-from-url@bucket' not found"))
        .isEqualTo("bucket 'AKIA:****@bucket' not found");
  }

  @Test
  void anExceptionChainIsCopiedWithEveryMessageScrubbedAndItsKindAndTraceKept() {
    Scrubber scrubber = Scrubber.of(Map.of("PGPASSWORD", "pg-password-1"), Map.of());
    SQLException sql = new SQLException("auth failed for pg-password-1");
    IOException io = new IOException("cannot read", sql);
    LeaException thrown = LeaException.infrastructure("Cannot open: pg-password-1", io);
    thrown.addSuppressed(new IllegalStateException("also pg-password-1"));

    RuntimeException scrubbed = scrubber.scrub(thrown);

    assertThat(scrubbed).isInstanceOfSatisfying(LeaException.class,
        e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.INFRASTRUCTURE));
    assertThat(scrubbed).hasMessage("Cannot open: ****");
    assertThat(scrubbed.getStackTrace()).isEqualTo(thrown.getStackTrace());
    String trace = trace(scrubbed);
    assertThat(trace).doesNotContain("pg-password-1")
        .contains("java.io.IOException: cannot read")
        .contains("java.sql.SQLException: auth failed for ****")
        .contains("java.lang.IllegalStateException: also ****");
  }

  @Test
  void anExceptionWithoutSecretsIsThrownUnchanged() {
    Scrubber scrubber = Scrubber.of(Map.of("PGPASSWORD", "pg-password-1"), Map.of());
    LeaException plain = LeaException.user("Cannot parse catalog URL 'x': no scheme.");
    assertThat(scrubber.scrub(plain)).isSameAs(plain);
  }

  @Test
  void aWrappedReporterScrubsEveryLevel() {
    List<String> seen = new ArrayList<>();
    Reporter sink = Reporters.of(message -> seen.add("info " + message),
        message -> seen.add("warn " + message), message -> seen.add("debug " + message));
    Reporter scrubbed = Scrubber.of(Map.of("NPM_TOKEN", "npm_abcdefgh"), Map.of()).wrap(sink);
    scrubbed.info("a npm_abcdefgh");
    scrubbed.warn("b npm_abcdefgh");
    scrubbed.debug("c npm_abcdefgh");
    assertThat(seen).containsExactly("info a ****", "warn b ****", "debug c ****");
  }

  private static String trace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
