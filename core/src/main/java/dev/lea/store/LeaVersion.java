package dev.lea.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/** The version of lea-core that runs, for messages that show a pom snippet to copy. */
final class LeaVersion {

  private static final String POM_PROPERTIES = "/META-INF/maven/dev.lea/lea-core/pom.properties";

  private LeaVersion() {}

  /** Empty when running from classes rather than the jar (the jar plugin writes the file). */
  static Optional<String> current() {
    try (InputStream in = LeaVersion.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        return Optional.empty();
      }
      Properties properties = new Properties();
      properties.load(in);
      return Optional.ofNullable(properties.getProperty("version")).filter(v -> !v.isBlank());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
