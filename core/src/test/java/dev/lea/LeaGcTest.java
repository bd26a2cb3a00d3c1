package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.transport.GcResult;
import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lea:gc} through the front-end API, on a chunked catalog in a file: bucket. */
class LeaGcTest {

  @TempDir Path dir;

  private LeaConfig config() {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + dir.resolve("bucket").resolve("w.duckdb"))
        .with(LeaSettings.TRANSPORT, "chunked")
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
  }

  @Test
  void keepsReferencedAndYoungChunks() throws Exception {
    for (int run = 0; run < 2; run++) {
      try (CatalogSession session = CatalogSync.open(config());
          Statement s = session.connection().createStatement()) {
        s.execute("CREATE OR REPLACE TABLE t" + run + " AS SELECT range AS i, md5(range::VARCHAR)"
            + " AS h FROM range(50000)");
        session.commit();
      }
    }
    GcResult result = Lea.gc(config(), Reporter.silent());
    assertThat(result.referenced()).isPositive();
    assertThat(result.deleted()).isEmpty();
  }

  @Test
  void refusesAGracePeriodThatIsNotSafe() {
    assertThatThrownBy(() -> Lea.gc(config().with(LeaSettings.GC_GRACE, "PT1H"),
        Reporter.silent()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("the grace period PT1H is shorter than PT24H");
  }
}
