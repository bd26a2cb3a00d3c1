package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Providers;
import dev.lea.store.Condition;
import dev.lea.store.FileObjectStore;
import dev.lea.store.LocalFiles;
import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 1 GiB catalog round-trips through every transport in a JVM whose heap is a quarter of the
 * catalog: proof that no transport holds the whole file in memory. The child JVM reports its
 * peak heap and peak resident memory (DuckDB's native memory included). Runs only with
 * {@code -Dlea.test.large=true}.
 */
class LargeCatalogHeapIT {

  private static final long GIB = 1024L * 1024 * 1024;
  private static final String MAX_HEAP = "-Xmx256m";

  @TempDir Path dir;

  static Stream<Arguments> transportsAndCompressions() {
    return Providers.names(CatalogTransport.class, t -> List.of(t.name())).stream()
        .flatMap(t -> Stream.of(Arguments.of(t, "none"), Arguments.of(t, "zstd")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndCompressions")
  void oneGibRoundTripFitsInAQuarterGibHeap(String transport, String compression)
      throws Exception {
    assumeTrue(Boolean.getBoolean("lea.test.large"),
        "1 GiB round trips run only with -Dlea.test.large=true");
    Path output = dir.resolve("child.out");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), MAX_HEAP,
        "-cp", System.getProperty("java.class.path"), LargeCatalogHeapIT.class.getName(),
        transport, compression, dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    boolean exited = child.waitFor(15, TimeUnit.MINUTES);
    if (!exited) {
      child.destroyForcibly().waitFor();
    }
    String report = Files.readString(output);
    System.out.println(transport + " " + compression + ": " + report);

    assertThat(exited).as("the child finished within 15 minutes").isTrue();
    assertThat(child.exitValue()).as(report).isZero();
    assertThat(report).contains("round trip equal");
  }

  /** The child: upload and download 1 GiB, compare, and report peak heap and resident memory. */
  public static void main(String[] args) throws IOException {
    String transport = args[0];
    String compression = args[1];
    Path dir = Path.of(args[2]);
    Path source = dir.resolve("source.sqlite");
    write(source, GIB);
    CatalogFile catalog = new CatalogFile(LocalFiles.sha256(source), GIB, "sqlite");
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.COMPRESSION, compression)
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    Path target = dir.resolve("target.sqlite");
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    try (ObjectStore store = new FileObjectStore(dir.resolve("bucket"))) {
      CatalogTransport chosen = CatalogTransports.named(transport);
      chosen.upload(store, "c.sqlite", source, catalog, Condition.ifAbsent(), config);
      chosen.download(store, "c.sqlite", target, null, config);
    }
    long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    long mismatch = Files.mismatch(source, target);
    System.out.println("peak heap " + peak / (1024 * 1024) + " MiB (max "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB), " + residentPeak());
    System.out.println(mismatch == -1 ? "round trip equal" : "first difference at " + mismatch);
    System.exit(mismatch == -1 ? 0 : 1);
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
