package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.spi.LeaException;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The catalog files the benchmarks move. Each file is deterministic for its size and content, so
 * it is generated once and reused by every JMH fork (a 64 MiB DuckDB file takes seconds to grow).
 */
final class Catalogs {

  /** Where generated files are kept between forks; override with {@code -Dlea.bench.data=DIR}. */
  static final Path DATA = Path.of(System.getProperty("lea.bench.data",
      Path.of(System.getProperty("java.io.tmpdir"), "lea-bench-data").toString()));

  private Catalogs() {}

  /** Parses {@code 1MiB}, {@code 64MiB}, {@code 1GiB}. */
  static long bytes(String size) {
    String s = size.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("gib")) {
        return Long.parseLong(s.substring(0, s.length() - 3)) << 30;
      }
      if (s.endsWith("mib")) {
        return Long.parseLong(s.substring(0, s.length() - 3)) << 20;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw LeaException.user("Cannot parse benchmark size '" + size
        + "': expected a whole number of MiB or GiB such as 64MiB or 1GiB.");
  }

  /** The file for {@code content} ({@code random} or {@code realistic}) of about {@code size}. */
  static synchronized Path file(String content, String size) throws IOException {
    Files.createDirectories(DATA);
    Path file = DATA.resolve(content + "-" + size + ".duckdb");
    if (Files.exists(file)) {
      return file;
    }
    Path scratch = LocalFiles.createPrivateTempDirectory(DATA, "gen-");
    try {
      Path made = switch (content) {
        case "random" -> random(scratch.resolve("f"), bytes(size));
        case "realistic" -> realistic(scratch, bytes(size));
        default -> throw LeaException.user("Cannot generate benchmark content '" + content
            + "': expected random or realistic.");
      };
      Files.move(made, file, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } finally {
      LocalFiles.deleteRecursively(scratch);
    }
  }

  private static Path random(Path file, long size) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    byte[] buffer = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += buffer.length) {
        for (int i = 0; i < buffer.length; i += 8) {
          long v = random.nextLong();
          for (int b = 0; b < 8; b++) {
            buffer[i + b] = (byte) (v >>> (b * 8));
          }
        }
        out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
      }
    }
    return file;
  }

  /**
   * A DuckDB warehouse written by a lea session: a small star schema of customers, products and
   * orders, grown with order rows until the file reaches {@code size}. Notes and e-mails are
   * hashes, so DuckDB's compression does not make the file unrealistically small.
   */
  private static Path realistic(Path dir, long size) throws IOException {
    Path file = dir.resolve("warehouse.duckdb");
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.WAREHOUSE, "duckdb")
        .with(LeaSettings.DUCKDB_PATH, file.toString());
    try (CatalogSession session = CatalogSync.open(config)) {
      Connection connection = session.connection();
      try (Statement sql = connection.createStatement()) {
        sql.execute("CREATE TABLE customers AS SELECT i AS id, 'customer ' || i AS name,"
            + " md5(i::VARCHAR) || '@example.com' AS email,"
            + " ['FR','DE','US','JP','BR'][1 + i % 5] AS country,"
            + " DATE '2020-01-01' + (i % 1500)::INTEGER AS since FROM range(10000) t(i)");
        sql.execute("CREATE TABLE products AS SELECT i AS id, 'product ' || i AS name,"
            + " ['books','games','tools','food'][1 + i % 4] AS category,"
            + " round(1 + (i * 37 % 5000) / 100.0, 2)::DECIMAL(10,2) AS price FROM range(2000) t(i)");
        sql.execute("CREATE TABLE orders (id BIGINT, customer_id BIGINT, product_id BIGINT,"
            + " quantity INTEGER, amount DECIMAL(12,2), ordered_at TIMESTAMP, status VARCHAR,"
            + " note VARCHAR)");
        long next = 0;
        long batch = 50_000;
        while (Files.size(file) < size) {
          sql.execute("INSERT INTO orders SELECT i, hash(i) % 10000, hash(i + 1) % 2000,"
              + " 1 + i % 7, round((hash(i) % 100000) / 100.0, 2),"
              + " TIMESTAMP '2024-01-01' + to_seconds((hash(i) % 31536000)::BIGINT),"
              + " ['new','paid','shipped','returned'][1 + (i % 4)::INTEGER],"
              + " md5(i::VARCHAR) FROM range(" + next + ", " + (next + batch) + ") t(i)");
          sql.execute("CHECKPOINT");
          next += batch;
          if (Files.size(file) < size / 4) {
            batch *= 2;
          }
        }
      } catch (SQLException e) {
        throw new IOException("Cannot grow the realistic benchmark warehouse: " + e.getMessage(), e);
      }
      session.commit();
    }
    return file;
  }
}
