package dev.lea;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.config.Source;
import dev.lea.internal.LocalFiles;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.Download;
import dev.lea.transport.TransportOptions;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Round-trips a catalog through every transport against the user's own store, under a scratch
 * prefix beside the catalog ({@code <catalog folder>/.lea/benchmark-<run id>/}) that is deleted
 * afterwards. The catalog object and its lock are only ever read, never written: the catalog's
 * bytes are copied to a local file first when they are used.
 *
 * @param format the catalog's format as recorded in uploaded metadata ({@code sqlite},
 *     {@code duckdb}, {@code duckdb-warehouse})
 */
record TransportBenchmark(ObjectStore store, Location catalog, String format, LeaConfig config,
    Reporter reporter) {

  /** The transports and compressions a user chooses between, in the table's order. */
  static final List<String[]> CANDIDATES = List.of(
      new String[] {"object-copy", "none"},
      new String[] {"object-copy", "zstd"},
      new String[] {"object-copy", "gzip"},
      new String[] {"parquet-blob", "zstd"},
      new String[] {"chunked", "zstd"});

  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  /** The scratch prefix of one run, beside the catalog and beside its lock folder. */
  static String scratchPrefix(String catalogKey, String runId) {
    return catalogKey.substring(0, catalogKey.lastIndexOf('/') + 1) + ".lea/benchmark-" + runId
        + "/";
  }

  BenchmarkResult run() throws IOException {
    String runId = RUN_TIME.format(Instant.now()) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    String scratch = scratchPrefix(catalog.key(), runId);
    boolean leaFolderExisted = catalog.scheme().equals("file")
        && Files.exists(Path.of(catalog.bucket()).resolve(scratch).getParent());
    Path work = LocalFiles.createPrivateTempDirectory(
        config.path(LeaSettings.WORK_DIR).orElse(null), "lea-benchmark-");
    try {
      Path source = work.resolve("catalog");
      String description = prepare(source);
      long size = Files.size(source);
      String sha256 = LocalFiles.sha256(source);
      warmUp(scratch);
      BenchmarkResult.Row floor = floor(scratch + "floor", source, work.resolve("floor"));
      List<BenchmarkResult.Row> rows = new ArrayList<>();
      for (String[] candidate : CANDIDATES) {
        rows.add(roundTrip(scratch, candidate[0], candidate[1], source,
            new CatalogFile(sha256, size, format), work));
      }
      // A file: URL of an existing folder already ends in '/'.
      String where = Location.of(catalog.scheme(), catalog.bucket(),
          scratch.substring(0, scratch.length() - 1)).toString();
      return new BenchmarkResult(description, where.endsWith("/") ? where : where + "/", size,
          floor, rows);
    } finally {
      cleanUp(scratch, leaFolderExisted);
      LocalFiles.deleteRecursively(work);
    }
  }

  /**
   * Writes the catalog to round-trip: a copy of the real one when it exists and no size was asked
   * for, else generated text rows, which compress about as a catalog does.
   */
  private String prepare(Path source) throws IOException {
    if (config.source(LeaSettings.BENCHMARK_SIZE) == Source.DEFAULT
        && store.head(catalog.key()).isPresent()) {
      CatalogTransport transport = CatalogTransports.configured(config);
      Download download = transport.download(store, catalog.key(), source, null);
      if (download.status() == ReadResult.Status.FOUND) {
        return "a copy of " + catalog;
      }
    }
    long size = config.size(LeaSettings.BENCHMARK_SIZE).orElseThrow();
    generate(source, size);
    return "a generated catalog";
  }

  static void generate(Path file, long size) throws IOException {
    SplittableRandom random = new SplittableRandom(size);
    StringBuilder row = new StringBuilder(96);
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      while (written < size) {
        row.setLength(0);
        row.append("INSERT INTO orders VALUES (").append(written).append(", 'customer-")
            .append(random.nextInt(5000)).append("', ").append(random.nextInt(100_000))
            .append('.').append(random.nextInt(100)).append(", '2024-")
            .append(1 + random.nextInt(12)).append('-').append(1 + random.nextInt(28))
            .append("');\n");
        int length = (int) Math.min(row.length(), size - written);
        out.append(row, 0, length);
        written += length;
      }
    }
  }

  /** One small put and get first, so connection set-up is not charged to the floor. */
  private void warmUp(String scratch) throws IOException {
    byte[] one = {1};
    store.put(scratch + "warm-up", new ByteArrayInputStream(one), 1, Map.of(), Condition.none());
    try (ReadResult read = store.read(scratch + "warm-up", null)) {
      read.content().readAllBytes();
    }
  }

  private BenchmarkResult.Row floor(String key, Path source, Path target) throws IOException {
    long started = System.nanoTime();
    ObjectInfo put = store.put(key, source, Map.of(), Condition.none());
    long uploaded = System.nanoTime();
    try (ReadResult read = store.read(key, null);
        ReadableByteChannel in = read.channel();
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
      long position = 0;
      long count;
      while ((count = out.transferFrom(in, position, 1L << 30)) > 0) {
        position += count;
      }
      out.force(true);
    }
    long downloaded = System.nanoTime();
    return new BenchmarkResult.Row("raw put/get", "", Duration.ofNanos(uploaded - started),
        Duration.ofNanos(downloaded - uploaded), put.size());
  }

  private BenchmarkResult.Row roundTrip(String scratch, String name, String compression,
      Path source, CatalogFile file, Path work) throws IOException {
    String prefix = scratch + name + "-" + compression + "/";
    String key = prefix + catalog.key().substring(catalog.key().lastIndexOf('/') + 1);
    CatalogTransport transport = CatalogTransports.named(name).withOptions(
        TransportOptions.of(config.with(LeaSettings.COMPRESSION, compression)));
    reporter.info("Benchmarking " + name + " (" + compression + ")...");
    Path target = work.resolve(name + "-" + compression);
    long started = System.nanoTime();
    transport.upload(store, key, source, file, Condition.none());
    long uploaded = System.nanoTime();
    Download download = transport.download(store, key, target, null);
    long downloaded = System.nanoTime();
    if (download.status() != ReadResult.Status.FOUND || Files.size(target) != file.size()) {
      throw new IOException("Cannot benchmark " + name + ": the catalog uploaded to " + key
          + " did not come back whole (" + download.status() + ").");
    }
    Files.delete(target);
    long stored = store.list(prefix).stream().mapToLong(ObjectInfo::size).sum();
    return new BenchmarkResult.Row(name, compression, Duration.ofNanos(uploaded - started),
        Duration.ofNanos(downloaded - uploaded), stored);
  }

  /**
   * Deletes every object under the scratch prefix; a failure is reported, not thrown, so it cannot
   * hide the measurement's own error. A {@code file:} bucket is a folder, whose emptied
   * sub-folders are removed too, and its {@code .lea} folder when this run created it.
   */
  private void cleanUp(String scratch, boolean leaFolderExisted) {
    try {
      for (ObjectInfo object : store.list(scratch)) {
        store.delete(object.key(), Condition.none());
      }
      if (catalog.scheme().equals("file")) {
        removeEmptyFolders(Path.of(catalog.bucket()).resolve(scratch), !leaFolderExisted);
      }
    } catch (IOException | RuntimeException e) {
      reporter.warn("Cannot delete the benchmark's objects under " + scratch + " in "
          + store.describe() + ": " + e.getMessage() + ". Delete that prefix with the store's own"
          + " tools; it holds nothing but benchmark copies.");
    }
  }

  private static void removeEmptyFolders(Path folder, boolean withParent) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(folder)) {
      folders = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
    }
    for (Path each : folders) {
      try {
        Files.delete(each);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        // Something else lives there (a concurrent benchmark, a sidecar): leave it.
      }
    }
    if (withParent) {
      try {
        Files.delete(folder.getParent());
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        // A lock folder or another benchmark appeared meanwhile: it stays.
      }
    }
  }
}
