package dev.lea.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import dev.lea.config.LeaConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 18: core's tests have no store jar on the class path, as a plugin without one, so a
 * bucket URL must say which of lea's store jars to add and where (it said only
 * {@code Unknown store scheme 's3'; available: file}).
 */
class MissingStoreMessageTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"s3://bucket/shop.duckdb, s3, lea-store-s3",
      "r2://bucket/shop.duckdb, r2, lea-store-s3",
      "gs://bucket/shop.duckdb, gs, lea-store-gcs"})
  void aKnownSchemeNamesTheStoreJarAndThePluginDependency(String url, String scheme,
      String artifact) {
    Location location = Location.parse(url, dir);
    assertThatThrownBy(() -> ObjectStores.open(location, LeaConfig.defaults(dir)))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot open a bucket of scheme '" + scheme + "': its store, dev.lea:"
            + artifact + ", is not on the class path (available schemes: ")
        .hasMessageContaining("file")
        .hasMessageContaining("Add it as a dependency of the plugin")
        .hasMessageContaining("<artifactId>lea-maven-plugin</artifactId>")
        .hasMessageContaining("    <dependencies>\n      <dependency>\n"
            + "        <groupId>dev.lea</groupId>\n        <artifactId>" + artifact
            + "</artifactId>")
        .hasMessageContaining("From Java, add dev.lea:" + artifact)
        .extracting(e -> ((LeaException) e).kind()).isEqualTo(LeaException.Kind.USER);
  }
}
