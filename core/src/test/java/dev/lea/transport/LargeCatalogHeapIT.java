package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A catalog round-trips through every transport in a JVM with a 64 MiB heap, a quarter of the
 * catalog or less: proof that no transport holds the file, or big slices of it, in the heap, and
 * that none brings down the JVM (DuckDB's JDBC driver does, natively, when it cannot allocate a
 * BLOB's array). The child JVM exits 0 only when the downloaded file's SHA-256 is the uploaded
 * one's, and must leave no crash report; it reports the sum of its heap pools' peaks (reached at
 * different times, so it may exceed the maximum), its peak resident memory (DuckDB's native
 * memory included), how long each direction took and the load average.
 *
 * <p>128 MiB (twice the heap) in every build; the 1 GiB round trips the goal of issue 16 names
 * run with {@code -Dlea.test.large=true}, and with every compression. {@code S3LargeCatalogHeapIT}
 * (store-s3) and {@code GcsLargeCatalogHeapIT} (store-gcs) run the same child against S3Proxy and
 * the GCS fake.
 */
public class LargeCatalogHeapIT extends HeapContract {

  public static final String MAX_HEAP = "-Xmx64m";
  /** The system property that enables the 1 GiB round trips. */
  public static final String LARGE = "lea.test.large";
  public static final String LARGE_SKIPPED =
      "1 GiB round trips at -Xmx64m run only with -D" + LARGE + "=true";
  private static final long MIB = 1024L * 1024;
  public static final long DEFAULT_SIZE = 128 * MIB;
  public static final long LARGE_SIZE = 1024 * MIB;
  private static final Pattern DIGESTS =
      Pattern.compile("uploaded sha256 ([0-9a-f]{64}), downloaded sha256 ([0-9a-f]{64})");

  /**
   * Every transport uncompressed, and object-copy with zstd, whose stream goes to the store
   * without a known length.
   */
  public static Stream<Arguments> transportsAndCompressions() {
    return transports().flatMap(t -> t.equals(ObjectCopyTransport.NAME)
        ? Stream.of(Arguments.of(t, "none"), Arguments.of(t, "zstd"))
        : Stream.of(Arguments.of(t, "none")));
  }

  /** Every transport with none and zstd, and object-copy with gzip too. */
  public static Stream<Arguments> everyTransportAndCompression() {
    return transports().flatMap(t -> Stream.concat(
        Stream.of(Arguments.of(t, "none"), Arguments.of(t, "zstd")),
        t.equals(ObjectCopyTransport.NAME) ? Stream.of(Arguments.of(t, "gzip")) : Stream.empty()));
  }

  private static Stream<String> transports() {
    return CatalogTransports.names().stream();
  }

  /** Skips a 1 GiB round trip, naming the flag, unless {@code -Dlea.test.large=true}. */
  public static void assumeLarge() {
    assumeTrue(Boolean.getBoolean(LARGE), LARGE_SKIPPED);
  }

  @Override
  protected String storeName() {
    return "file";
  }

  @Override
  protected String bucketUrl() {
    return "file:" + dir.resolve("bucket");
  }

  /**
   * Runs the child and checks its exit code and digests; returns its report.
   *
   * @param jvmOptions more child JVM options (system properties such as SDK credentials)
   * @param settings {@code key=value} lea settings for the child's configuration
   */
  public static String roundTrip(Path dir, long size, String transport, String compression,
      String bucketUrl, List<String> jvmOptions, List<String> settings) throws Exception {
    return roundTrip(dir, MAX_HEAP, size, transport, compression, bucketUrl, jvmOptions, settings);
  }

  /** The same in a heap of {@code maxHeap} instead of {@link #MAX_HEAP}. */
  public static String roundTrip(Path dir, String maxHeap, long size, String transport,
      String compression, String bucketUrl, List<String> jvmOptions, List<String> settings)
      throws Exception {
    Child child = runChild(dir, maxHeap, size, transport, compression, bucketUrl, jvmOptions,
        settings);
    String report = child.report();
    assertThat(child.exitValue()).as(report).isZero();
    Matcher digests = DIGESTS.matcher(report);
    assertThat(digests.find()).as(report).isTrue();
    assertThat(digests.group(2)).as(report).isEqualTo(digests.group(1));
    return report;
  }

  /**
   * Below its minimum heap parquet-blob refuses, naming the heap it needs: at {@code -Xmx8m} the
   * JVM ran out of heap and then crashed (SIGSEGV in native code) instead of failing.
   */
  @Test
  void parquetBlobRefusesAHeapBelowItsMinimum() throws Exception {
    Child child = runChild(dir, "-Xmx8m", MIB, ParquetBlobTransport.NAME, "none",
        "file:" + dir.resolve("bucket"), List.of(), List.of());

    assertThat(child.exitValue()).as(child.report()).isEqualTo(1);
    assertThat(child.report())
        .contains("Cannot upload catalog ")
        .contains("with the parquet-blob transport: the JVM's maximum heap is ")
        .contains("it needs at least 16 MiB. Raise -Xmx");
  }

  /** What a child printed, and its exit value. */
  record Child(int exitValue, String report) {
  }

  /** Runs the child to its end and checks that it did not crash. */
  private static Child runChild(Path dir, String maxHeap, long size, String transport,
      String compression, String bucketUrl, List<String> jvmOptions, List<String> settings)
      throws Exception {
    Path output = dir.resolve("child-" + transport + "-" + compression + ".out");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), maxHeap));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        LargeCatalogHeapIT.class.getName(), transport, compression, dir.toString(),
        Long.toString(size), bucketUrl));
    command.addAll(settings);
    // The child's working directory takes the JVM's crash report (hs_err_pid*.log), if any.
    Process child = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    boolean exited = child.waitFor(15, TimeUnit.MINUTES);
    if (!exited) {
      child.destroyForcibly().waitFor();
    }
    String report = Files.readString(output);

    assertThat(exited).as("the child finished within 15 minutes: %s", report).isTrue();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .as("the child JVM crashed: %s", report)
          .noneMatch(name -> name.startsWith("hs_err_pid"));
    }
    return new Child(child.exitValue(), report);
  }

  /**
   * The child: writes a catalog of the given size, uploads and downloads it, and reports both
   * digests and the peak heap and resident memory. Arguments: transport, compression, work
   * directory, size in bytes, bucket URL, then {@code key=value} settings.
   */
  public static void main(String[] args) throws IOException {
    String transport = args[0];
    String compression = args[1];
    Path dir = Path.of(args[2]);
    long size = Long.parseLong(args[3]);
    String bucketUrl = args[4];
    Path source = dir.resolve("source.sqlite");
    write(source, size);
    CatalogFile catalog = new CatalogFile(LocalFiles.sha256(source), size, "sqlite");
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.COMPRESSION, compression)
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    for (String setting : Arrays.asList(args).subList(5, args.length)) {
      int equals = setting.indexOf('=');
      config = config.with(setting.substring(0, equals), setting.substring(equals + 1));
    }
    Path target = dir.resolve("target.sqlite");
    String times;
    // The stores' ITs share one bucket between their cases.
    String key = "c-" + transport + "-" + compression + "-" + size + ".sqlite";
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    try (ObjectStore store = ObjectStores.open(Location.parse(bucketUrl + "/" + key, dir),
        config)) {
      CatalogTransport chosen = CatalogTransports.named(transport)
          .withOptions(TransportOptions.of(config));
      long start = System.nanoTime();
      chosen.upload(store, key, source, catalog, Condition.ifAbsent());
      long uploaded = System.nanoTime();
      chosen.download(store, key, target, null);
      times = String.format(Locale.ROOT, "upload %.1f s, download %.1f s",
          (uploaded - start) / 1e9, (System.nanoTime() - uploaded) / 1e9);
    }
    long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    String downloaded = LocalFiles.sha256(target);
    System.out.println("heap pools' peaks " + peak / MIB + " MiB summed (max "
        + Runtime.getRuntime().maxMemory() / MIB + " MiB), " + residentPeak() + ", " + times
        + ", load average " + loadAverage());
    System.out.println("uploaded sha256 " + catalog.sha256() + ", downloaded sha256 "
        + downloaded);
    System.exit(downloaded.equals(catalog.sha256()) ? 0 : 1);
  }

  private static String residentPeak() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return "peak resident memory unknown";
    }
    return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:"))
        .map(line -> "peak resident memory " + line.substring(6).trim())
        .findFirst().orElse("peak resident memory unknown");
  }

  private static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    if (!Files.isReadable(loadavg)) {
      return "unknown";
    }
    String[] fields = Files.readString(loadavg).trim().split(" ");
    return String.join(" ", Arrays.asList(fields).subList(0, 3));
  }

  /** Half random, half runs of one byte per block: compressible, as real catalogs are. */
  private static void write(Path file, long size) throws IOException {
    Random random = new Random(size);
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        Arrays.fill(block, block.length / 2, block.length, (byte) random.nextInt());
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
  }
}
