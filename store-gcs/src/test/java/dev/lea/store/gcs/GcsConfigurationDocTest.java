package dev.lea.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.ConfigurationDocTest;
import dev.lea.config.LeaSettings;
import org.junit.jupiter.api.Test;

/** The GCS settings are known to the resolver and documented in docs/configuration.md. */
class GcsConfigurationDocTest extends ConfigurationDocTest {

  @Test
  void theGcsSettingsAreContributed() {
    assertThat(LeaSettings.all()).containsAll(new GcsObjectStoreProvider().settings())
        .extracting(s -> s.property()).contains(GcsSettings.GCS_ENDPOINT, GcsSettings.GCS_PROJECT);
  }
}
