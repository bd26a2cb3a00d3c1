package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3ClientSettingsTest {

  @TempDir
  Path project;

  private Location location(String url) {
    return Location.parse(url, project);
  }

  @Test
  void r2DerivesItsEndpointFromTheAccountIdWithRegionAuto() {
    LeaConfig config = LeaConfig.defaults(project)
        .with(S3Settings.R2_ACCOUNT_ID, "0123456789ABCDEF0123456789abcdef")
        .with(S3Settings.S3_ENDPOINT, "http://127.0.0.1:9000");

    S3ClientSettings settings = S3ClientSettings.resolve(location("r2://lake/c.sqlite"), config);

    assertThat(settings.endpoint()).isEqualTo(
        URI.create("https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com"));
    assertThat(settings.region()).isEqualTo(Region.of("auto"));
    assertThat(settings.regionConfigured()).isTrue();
    assertThat(settings.scheme()).isEqualTo("r2");
  }

  @Test
  void r2WithoutAnAccountIdSaysWhichVariableToSet() {
    assertThatThrownBy(() -> S3ClientSettings.resolve(location("r2://lake/c.sqlite"),
        LeaConfig.defaults(project)))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot open r2://lake/c.sqlite: the Cloudflare account id is not set. Set"
            + " LEA_R2_ACCOUNT_ID (or -Dlea.r2.accountId) to the account id shown in the"
            + " Cloudflare dashboard under R2.");
  }

  @Test
  void r2RefusesAnAccountIdThatWouldChangeTheHost() {
    LeaConfig config = LeaConfig.defaults(project)
        .with(S3Settings.R2_ACCOUNT_ID, "evil.example.com/x");

    assertThatThrownBy(() -> S3ClientSettings.resolve(location("r2://lake/c.sqlite"), config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot open r2://lake/c.sqlite: LEA_R2_ACCOUNT_ID 'evil.example.com/x' is not"
            + " a Cloudflare account id. Use the 32-character hex id from the Cloudflare"
            + " dashboard.");
  }

  @Test
  void s3TakesEndpointRegionAndPathStyleFromLeaSettings() {
    LeaConfig config = LeaConfig.defaults(project)
        .with(S3Settings.S3_ENDPOINT, "http://127.0.0.1:9000")
        .with(S3Settings.S3_REGION, "eu-central-1")
        .with(S3Settings.S3_PATH_STYLE, "true");

    S3ClientSettings settings = S3ClientSettings.resolve(location("s3://lake/c.sqlite"), config);

    assertThat(settings).isEqualTo(new S3ClientSettings("s3",
        URI.create("http://127.0.0.1:9000"), Region.EU_CENTRAL_1, true, true));
    try (S3Client client = settings.newClient(AnonymousCredentialsProvider.create())) {
      assertThat(client.serviceClientConfiguration().endpointOverride())
          .contains(URI.create("http://127.0.0.1:9000"));
      assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
    }
  }

  @Test
  void s3WithoutEndpointLeavesTheChoiceToTheSdk() {
    LeaConfig config = LeaConfig.defaults(project).with(S3Settings.S3_REGION, "us-west-2");

    S3ClientSettings settings = S3ClientSettings.resolve(location("s3://lake/c.sqlite"), config);

    assertThat(settings.endpoint()).isNull();
    assertThat(settings.pathStyle()).isFalse();
    assertThat(settings.region()).isEqualTo(Region.US_WEST_2);
  }

  @Test
  void aMalformedEndpointIsNamedWithoutItsCredentials() {
    LeaConfig config = LeaConfig.defaults(project)
        .with(S3Settings.S3_ENDPOINT, "ftp://user:hunter2@storage.example.com");

    assertThatThrownBy(() -> S3ClientSettings.resolve(location("s3://lake/c.sqlite"), config))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot open s3://lake/c.sqlite: LEA_S3_ENDPOINT (lea.s3.endpoint)"
            + " 'ftp://storage.example.com' is invalid: it is not an http:// or https:// URL with"
            + " a host. Give a URL such as https://s3.example.com or http://127.0.0.1:9000.");
  }
}
