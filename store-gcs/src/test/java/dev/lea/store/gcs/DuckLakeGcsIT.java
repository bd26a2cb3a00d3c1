package dev.lea.store.gcs;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.sync.DuckLakeExtensions;
import dev.lea.sync.DuckLakeScenario;
import dev.lea.testing.FakeGcsServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seeds' scenario with the catalog in a {@code gs://} bucket (the fake) and local data. */
class DuckLakeGcsIT {

  @TempDir Path dir;
  private FakeGcsServer fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeGcsServer.start();
    fake.createBucket("my-bucket");
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void freshRerunFailAndResume(String format) throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", format.equals("sqlite") ? "sqlite" : "ducklake");
    LeaConfig config = DuckLakeExtensions.config(dir.resolve("project"))
        .with(LeaSettings.CATALOG_URL, "gs://my-bucket/lake/catalog." + format)
        .with(LeaSettings.CATALOG_FORMAT, format)
        .with(LeaSettings.DATA_PATH, dir.resolve("data").toString() + "/")
        .with(GcsSettings.GCS_ENDPOINT, fake.endpoint())
        .with(GcsSettings.GCS_PROJECT, "lea-ducklake")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    new DuckLakeScenario(dir.resolve("project"), config).freshRerunFailAndResume();
  }
}
