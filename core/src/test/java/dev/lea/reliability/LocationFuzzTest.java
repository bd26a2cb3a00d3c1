package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import dev.lea.store.ObjectStores;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed catalog URLs, unknown schemes and odd keys: refused with a clear message or kept exact. */
class LocationFuzzTest {

  @TempDir Path dir;

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("", "it is empty"),
        Arguments.of("   ", "it is empty"),
        Arguments.of("catalog.sqlite", "it has no scheme"),
        Arguments.of(":s3//b/k", "it has no scheme"),
        Arguments.of("1s3://b/k", "it has no scheme"),
        Arguments.of("S3://b/k", "it has no scheme"),
        Arguments.of("s3:", "Expected scheme-specific part"),
        Arguments.of("s3://", "Expected authority"),
        Arguments.of("s3:///k", "it names no bucket"),
        Arguments.of("s3://bucket", "it names no object key"),
        Arguments.of("s3://bucket/", "it names no object key"),
        Arguments.of("s3://b/a//k", "empty, '.' or '..' segment"),
        Arguments.of("s3://b/a/../k", "empty, '.' or '..' segment"),
        Arguments.of("s3://b/../../etc/passwd", "empty, '.' or '..' segment"),
        Arguments.of("s3://b/./k", "empty, '.' or '..' segment"),
        Arguments.of("gs://b/%2e%2e/k", "empty, '.' or '..' segment"),
        Arguments.of("gs://b/a%2F..%2Fk", "empty, '.' or '..' segment"),
        Arguments.of("s3://b/k/", "cannot start or end with '/'"),
        Arguments.of("s3://b/k?versionId=1", "query strings and fragments"),
        Arguments.of("s3://b/k#frag", "query strings and fragments"),
        Arguments.of("s3://b/k%00x", "control character"),
        Arguments.of("s3://b/k%0Ax", "control character"),
        Arguments.of("s3://b/a%5Cb", "backslash"),
        Arguments.of("s3://b/k with space", "Illegal character"),
        Arguments.of("s3://b/" + "k".repeat(1025), "longer than 1024 characters"),
        Arguments.of("file:", "names a directory"),
        Arguments.of("file:lake/", "names a directory"),
        Arguments.of("file:///", "names a directory"),
        Arguments.of("file://evil.example/lake/c.sqlite", "cannot name a host"),
        Arguments.of("file:/a\u0000b", "Nul character"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  void malformedUrlsAreRefusedNamingTheUrlAndTheReason(String url, String reason) {
    assertThatThrownBy(() -> Location.parse(url, dir))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot parse catalog URL")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((LeaException) e).kind()).isEqualTo(LeaException.Kind.USER));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"ftp://b/k.sqlite", "http://b/k.sqlite", "s4://b/k.sqlite",
      "postgresx://b/k"})
  void unknownSchemesNameTheAvailableOnes(String url) {
    Location location = Location.parse(url, dir);
    assertThatThrownBy(() -> ObjectStores.open(location, LeaConfig.defaults(dir)))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Unknown store scheme '" + location.scheme() + "'; available: ")
        .hasMessageContaining("file");
  }

  static Stream<Arguments> oddButLegal() {
    return Stream.of(
        Arguments.of("s3://b/lake/caf%C3%A9.sqlite", "lake/caf\u00e9.sqlite"),
        Arguments.of("s3://b/x..y/...", "x..y/..."),
        Arguments.of("s3://b/.hidden/-dash", ".hidden/-dash"),
        Arguments.of("s3://b/a%20b/c%2Bd", "a b/c+d"),
        Arguments.of("gs://b/semi;colon/'quote'", "semi;colon/'quote'"),
        Arguments.of("r2://b/\u65e5\u672c/\u00fc.duckdb", "\u65e5\u672c/\u00fc.duckdb"),
        Arguments.of("s3://b/" + "k".repeat(1024), "k".repeat(1024)));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("oddButLegal")
  void oddButLegalKeysAreKeptExactly(String url, String key) {
    Location location = Location.parse(url, dir);
    assertThat(location.key()).isEqualTo(key);
    assertThat(Location.of(location.scheme(), location.bucket(), key)).isEqualTo(location);
  }

  @Test
  void relativeFileUrlsCannotClimbOutOfTheirKeyButResolveAgainstTheProject() {
    Location location = Location.parse("file:../elsewhere/c.sqlite", dir.resolve("project"));
    assertThat(location.bucket()).isEqualTo(dir.resolve("elsewhere").toString());
    assertThat(location.key()).isEqualTo("c.sqlite");
    assertThat(location.withSuffix(".lock").key()).isEqualTo("c.sqlite.lock");
    assertThatThrownBy(() -> location.withSuffix("/../../x"))
        .isInstanceOf(LeaException.class).hasMessageContaining("'..' segment");
  }
}
