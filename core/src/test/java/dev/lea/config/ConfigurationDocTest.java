package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference in docs/ must name every setting with its environment name. A
 * module that contributes settings (a store) extends this test, so it runs with that module's
 * settings on the classpath.
 */
public class ConfigurationDocTest {

  @Test
  public void everySettingIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    for (Setting setting : LeaSettings.all()) {
      assertThat(doc)
          .as("docs/configuration.md documents %s", setting.property())
          .contains("| `" + setting.property() + "` | `" + setting.environmentName() + "` |");
    }
  }
}
