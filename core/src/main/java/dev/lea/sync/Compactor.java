package dev.lea.sync;

import dev.lea.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Shrinks a catalog before upload: DuckLake catalogs bloat with every snapshot's free pages.
 * SQLite files are vacuumed in place; DuckDB files were checkpointed when their connection closed.
 */
final class Compactor {

  private Compactor() {}

  static void compact(Path catalog, String format, Reporter reporter) throws IOException {
    if (!format.equals("sqlite") || !Files.exists(catalog)) {
      return;
    }
    long before = Files.size(catalog);
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + catalog);
        Statement statement = sqlite.createStatement()) {
      statement.execute("VACUUM");
    } catch (SQLException e) {
      throw new IOException("VACUUM failed: " + e.getMessage(), e);
    }
    long after = Files.size(catalog);
    if (after < before) {
      reporter.info("Compacted catalog from " + Sizes.format(before) + " to " + Sizes.format(after));
    }
  }
}
