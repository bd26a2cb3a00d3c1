package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seeds' scenario with the catalog in a {@code file:} bucket and the data path beside it. */
class DuckLakeFileStoreTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void freshRerunFailAndResume(String format) throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", format.equals("sqlite") ? "sqlite" : "ducklake");
    LeaConfig config = DuckLakeExtensions.config(dir.resolve("project"))
        .with(LeaSettings.CATALOG_URL, dir.resolve("bucket/lake/catalog." + format).toUri()
            .toString())
        .with(LeaSettings.CATALOG_FORMAT, format)
        .with(LeaSettings.DATA_PATH, dir.resolve("bucket/lake/data").toString() + "/")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    new DuckLakeScenario(dir.resolve("project"), config).freshRerunFailAndResume();
    try (Stream<Path> files = Files.walk(dir.resolve("bucket/lake/data"))) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString).toList())
          .isNotEmpty().allMatch(name -> name.endsWith(".parquet"));
    }
  }
}
