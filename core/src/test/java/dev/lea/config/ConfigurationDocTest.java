package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.lock.LockStrategies;
import dev.lea.policy.FailurePolicies;
import dev.lea.spi.LeaException;
import dev.lea.transport.CatalogTransports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/configuration.md has the generated row of every setting core knows, so a setting added or
 * changed in core shows up here without building the plugin (whose ConfigurationReferenceTest
 * checks and regenerates the whole file).
 */
public class ConfigurationDocTest {

  @TempDir Path dir;

  @Test
  public void everySettingHasItsGeneratedRow() throws Exception {
    String doc = Files.readString(ConfigurationReference.file());
    for (Setting setting : LeaSettings.all()) {
      assertThat(doc)
          .as("docs/configuration.md has the row of %s. %s", setting.property(),
              ConfigurationReference.REGENERATE)
          .contains(ConfigurationReference.row(setting));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {LeaSettings.TRANSPORT, LeaSettings.LOCK, LeaSettings.ON_FAILURE,
      LeaSettings.COMPRESSION, LeaSettings.CATALOG_FORMAT, LeaSettings.READ_ONLY})
  public void theValidValuesAreThoseTheResolverNames(String property) {
    Setting setting = LeaSettings.byProperty(property);
    String listed = ConfigurationReference.validValues(setting).replace("`", "");

    // A provider's name is checked where its registry looks it up, as a run does.
    Consumer<LeaConfig> lookUp = Map.<String, Consumer<LeaConfig>>of(
        LeaSettings.TRANSPORT, CatalogTransports::configured,
        LeaSettings.LOCK, LockStrategies::configured,
        LeaSettings.ON_FAILURE, FailurePolicies::configured).getOrDefault(property, c -> { });

    assertThatThrownBy(() -> lookUp.accept(ConfigResolver.builder().projectDirectory(dir)
        .configuration(Map.of(property, "no-such-value")).resolve()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("valid values: " + listed);
  }

  @Test
  public void theUsernameDefaultIsTheOperatingSystemUser() {
    assertThat(ConfigurationReference.row(LeaSettings.byProperty(LeaSettings.USERNAME)))
        .startsWith("| `lea.username` | `LEA_USERNAME` | the operating system user");
  }
}
