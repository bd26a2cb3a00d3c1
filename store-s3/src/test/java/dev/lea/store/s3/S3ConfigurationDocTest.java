package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.ConfigurationDocTest;
import dev.lea.config.LeaSettings;
import org.junit.jupiter.api.Test;

/** The S3 settings are known to the resolver and documented in docs/configuration.md. */
class S3ConfigurationDocTest extends ConfigurationDocTest {

  @Test
  void theS3SettingsAreContributed() {
    assertThat(LeaSettings.all()).containsAll(new S3ObjectStoreProvider().settings())
        .extracting(s -> s.property()).contains(S3Settings.S3_ENDPOINT, S3Settings.R2_ACCOUNT_ID);
  }
}
