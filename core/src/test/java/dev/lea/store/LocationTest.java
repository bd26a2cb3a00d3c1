package dev.lea.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocationTest {

  private static final Path BASE = Path.of("/work/project");

  @Test
  void bucketUrlsSplitIntoBucketAndKey() {
    Location location = Location.parse("s3://bucket/lake/catalog.sqlite", BASE);
    assertThat(location.scheme()).isEqualTo("s3");
    assertThat(location.bucket()).isEqualTo("bucket");
    assertThat(location.key()).isEqualTo("lake/catalog.sqlite");
    assertThat(location.withSuffix(".lock").toString()).isEqualTo("s3://bucket/lake/catalog.sqlite.lock");
  }

  @Test
  void fileUrlsUseTheParentDirectoryAsBucket() {
    assertThat(Location.parse("file:///data/lake/catalog.sqlite", BASE))
        .isEqualTo(Location.of("file", "/data/lake", "catalog.sqlite"));
    assertThat(Location.parse("file:target/lake/catalog.sqlite", BASE))
        .isEqualTo(Location.of("file", "/work/project/target/lake", "catalog.sqlite"));
    assertThat(Location.parse("file:/data/../data/c.duckdb", BASE).bucket()).isEqualTo("/data");
    assertThat(Location.parse("file:///data/c.duckdb", BASE).toString())
        .isEqualTo("file:///data/c.duckdb");
  }

  /** Issue 17 item 10: the printed URL of a folder with a space must address the same folder. */
  @Test
  void fileUrlsArePercentDecodedSoThePrintedUrlRoundTrips() {
    Location spaced = Location.parse("file:/data/my bucket/c.duckdb", BASE);
    assertThat(spaced.bucket()).isEqualTo("/data/my bucket");
    assertThat(spaced.toString()).isEqualTo("file:///data/my%20bucket/c.duckdb");

    Location again = Location.parse(spaced.toString(), BASE);

    assertThat(again).isEqualTo(spaced);
    assertThat(Location.parse("file:///data/caf%C3%A9/na%25me.duckdb", BASE))
        .isEqualTo(Location.of("file", "/data/caf\u00e9", "na%me.duckdb"));
    Location unicode = Location.of("file", "/data/caf\u00e9 100%", "x y.duckdb");
    assertThat(Location.parse(unicode.toString(), BASE)).isEqualTo(unicode);
    assertThat(Location.parse("file:/data/100%done/c.duckdb", BASE).bucket())
        .isEqualTo("/data/100%done");
  }

  @Test
  void malformedUrlsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Location.parse("bucket/catalog.sqlite", BASE))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot parse catalog URL 'bucket/catalog.sqlite': it has no scheme"
            + " (file:, s3:, r2:, gs:).");
    assertThatThrownBy(() -> Location.parse("s3:///catalog.sqlite", BASE))
        .hasMessageContaining("it names no bucket");
    assertThatThrownBy(() -> Location.parse("s3://bucket/", BASE))
        .hasMessageContaining("it names no object key");
    assertThatThrownBy(() -> Location.parse("s3://bucket/a/../../etc/passwd", BASE))
        .hasMessageContaining("'..' segment");
    assertThatThrownBy(() -> Location.parse("gs://bucket/a//b", BASE))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Location.parse("file://otherhost/x.sqlite", BASE))
        .hasMessageContaining("cannot name a host");
    assertThatThrownBy(() -> Location.parse("file:///data/lake/", BASE))
        .hasMessageContaining("names a directory");
    assertThatThrownBy(() -> Location.parse("s3://bucket/key?versionId=3", BASE))
        .hasMessageContaining("query strings");
    assertThatThrownBy(() -> Location.parse("  ", BASE)).hasMessageContaining("it is empty");
  }

  @Test
  void keysWithControlCharactersCannotBeBuilt() {
    assertThatThrownBy(() -> Location.of("s3", "b", "a\u0000b"))
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> Location.of("s3", "b", "a\\b"))
        .hasMessageContaining("backslash");
  }
}
