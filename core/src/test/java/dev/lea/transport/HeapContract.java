package dev.lea.transport;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16's heap goal on one store: every transport round-trips a catalog in a child JVM at
 * {@link LargeCatalogHeapIT#MAX_HEAP}, 128 MiB in every build and 1 GiB with {@code
 * -Dlea.test.large=true}. {@link LargeCatalogHeapIT} runs it on {@code file:}; each store jar
 * extends it with how the child reaches its store.
 */
public abstract class HeapContract {

  @TempDir protected Path dir;

  /** The store's scheme as the report names it, e.g. {@code s3}. */
  protected abstract String storeName();

  /** The bucket the child's catalog goes to. */
  protected abstract String bucketUrl();

  /** More child JVM options, such as SDK credentials. */
  protected List<String> jvmOptions() {
    return List.of();
  }

  /** {@code key=value} lea settings the child needs to reach the store. */
  protected List<String> settings() {
    return List.of();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dev.lea.transport.LargeCatalogHeapIT#transportsAndCompressions")
  void roundTripOf128MibFitsInA64MibHeap(String transport, String compression) throws Exception {
    report("128 MiB", LargeCatalogHeapIT.MAX_HEAP, LargeCatalogHeapIT.DEFAULT_SIZE, transport,
        compression);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dev.lea.transport.LargeCatalogHeapIT#everyTransportAndCompression")
  void roundTripOf1GibFitsInA64MibHeap(String transport, String compression) throws Exception {
    LargeCatalogHeapIT.assumeLarge();
    report("1 GiB", LargeCatalogHeapIT.MAX_HEAP, LargeCatalogHeapIT.LARGE_SIZE, transport,
        compression);
  }

  /** Round-trips {@code size} bytes in a heap of {@code maxHeap} and prints the child's report. */
  protected void report(String what, String maxHeap, long size, String transport,
      String compression) throws Exception {
    String report = LargeCatalogHeapIT.roundTrip(dir, maxHeap, size, transport, compression,
        bucketUrl(), jvmOptions(), settings());
    System.out.println(storeName() + ": " + what + " " + transport + " " + compression + ": "
        + report);
  }
}
