package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite catalog that grew over many small runs (each inlining its rows into the catalog) and
 * then shed them (DuckLake flushes inlined rows to Parquet, deleting them from SQLite) is uploaded
 * vacuumed, and the run says how large the upload was and how long it took.
 */
class DuckLakeCompactionTest {

  private static final Pattern COMPACTED =
      Pattern.compile("Compacted catalog from (\\S+ \\S+) to (\\S+ \\S+)");

  @TempDir Path dir;

  @Test
  void aSqliteCatalogGrownByManySmallRunsIsUploadedCompacted() throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", "sqlite");
    Path bucket = dir.resolve("bucket");
    LeaConfig config = DuckLakeExtensions.config(dir)
        .with(LeaSettings.CATALOG_URL, bucket.resolve("catalog.sqlite").toUri().toString())
        .with(LeaSettings.DATA_PATH, dir.resolve("data").toString() + "/")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    run(config, "CREATE TABLE t (run INTEGER, payload VARCHAR)");
    for (int run = 1; run <= 12; run++) {
      // Nine rows: under DuckLake's inlining limit, so they land in the catalog itself.
      run(config, "INSERT INTO t SELECT " + run + ", repeat('x', 4000) FROM range(9)");
    }
    List<String> output = run(config, "CALL ducklake_flush_inlined_data('my_ducklake')");

    String uploaded = output.stream().filter(line -> line.startsWith("Uploaded catalog "))
        .findFirst().orElseThrow();
    assertThat(uploaded).matches("Uploaded catalog \\S+catalog\\.sqlite \\(\\S+ \\S+\\) in"
        + " \\d+\\.\\d\\d s");
    Matcher compacted = output.stream().map(COMPACTED::matcher).filter(Matcher::find)
        .findFirst().orElseThrow(() -> new AssertionError("no compaction reported: " + output));
    assertThat(uploaded).contains("(" + compacted.group(2) + ")");

    Path copy = dir.resolve("uploaded.sqlite");
    DuckLakeExtensions.copyObject(bucket, "catalog.sqlite", copy);
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + copy);
        Statement statement = sqlite.createStatement();
        ResultSet free = statement.executeQuery("PRAGMA freelist_count")) {
      free.next();
      assertThat(free.getLong(1)).as("free pages in the uploaded catalog").isZero();
    }
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"))) {
      assertThat(DuckLakeScenario.query(session, "SELECT count(*), count(DISTINCT run) FROM t"))
          .containsExactly(List.of(108.0, 12.0));
      session.commit();
    }
  }

  private static List<String> run(LeaConfig config, String sql) throws Exception {
    List<String> output = new ArrayList<>();
    Reporter reporter = Reporters.collecting(output);
    try (CatalogSession session = CatalogSync.open(config, reporter);
        Statement statement = session.connection().createStatement()) {
      statement.execute(sql);
      session.commit();
    }
    return output;
  }
}
