package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import dev.lea.testing.SystemProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** Part size, single-PUT limit, parallelism and deadlines come from lea's settings. */
class S3TransferSettingsTest {

  private static final int MIB = 1024 * 1024;

  @TempDir
  Path project;
  private SystemProperties noInstanceMetadata;

  /**
   * Without {@code lea.s3.region} the SDK's region chain asks the EC2 instance metadata service,
   * an address off this machine, and waits out its timeouts (about 3 s a test here).
   */
  @BeforeEach
  void noInstanceMetadata() {
    noInstanceMetadata = SystemProperties.set(Map.of("aws.disableEc2Metadata", "true"));
  }

  @AfterEach
  void restoreProperties() {
    noInstanceMetadata.close();
  }

  private Location location() {
    return Location.parse("s3://lake/c.sqlite", project);
  }

  @Test
  void defaultsAreTheRegisteredOnes() {
    LeaConfig config = LeaConfig.defaults(project);

    assertThat(UploadTuning.from(location(), config))
        .isEqualTo(new UploadTuning(512L * MIB, 8 * MIB, 4));
    S3ClientSettings settings = S3ClientSettings.resolve(location(), config);
    assertThat(settings.attemptTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void tuningAndDeadlinesFollowTheSettings() {
    LeaConfig config = LeaConfig.defaults(project)
        .with(S3Settings.S3_PART_SIZE, "32MiB")
        .with(S3Settings.S3_SINGLE_PUT_LIMIT, "64MiB")
        .with(S3Settings.S3_PARALLELISM, "8")
        .with(LeaSettings.STORE_ATTEMPT_TIMEOUT, "10s")
        .with(LeaSettings.STORE_REQUEST_TIMEOUT, "1m");

    assertThat(UploadTuning.from(location(), config))
        .isEqualTo(new UploadTuning(64L * MIB, 32 * MIB, 8));
    S3ClientSettings settings = S3ClientSettings.resolve(location(), config);
    try (S3Client client = settings.newClient(AnonymousCredentialsProvider.create())) {
      var override = client.serviceClientConfiguration().overrideConfiguration();
      assertThat(override.apiCallAttemptTimeout()).contains(Duration.ofSeconds(10));
      assertThat(override.apiCallTimeout()).contains(Duration.ofMinutes(1));
    }
  }

  @Test
  void partsBelowS3sMinimumAreRefused() {
    LeaConfig config = LeaConfig.defaults(project).with(S3Settings.S3_PART_SIZE, "1MiB");

    assertThatThrownBy(() -> UploadTuning.from(location(), config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot open s3://lake/c.sqlite: lea.s3.partSize is 1048576 bytes; S3 accepts"
            + " parts of 5MiB to 5GiB.");
  }

  @Test
  void noParallelismIsRefused() {
    LeaConfig config = LeaConfig.defaults(project).with(S3Settings.S3_PARALLELISM, "0");

    assertThatThrownBy(() -> UploadTuning.from(location(), config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot open s3://lake/c.sqlite: lea.s3.parallelism is 0; give 1 to 64.");
  }

  @Test
  void aZeroDeadlineIsRefused() {
    LeaConfig config = LeaConfig.defaults(project)
        .with(LeaSettings.STORE_REQUEST_TIMEOUT, "PT0S");

    assertThatThrownBy(() -> S3ClientSettings.resolve(location(), config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot open s3://lake/c.sqlite: lea.store.requestTimeout is PT0S; give a"
            + " positive duration such as PT2M.");
  }
}
