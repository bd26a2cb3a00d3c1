package dev.lea.store.gcs;

import dev.lea.testing.FakeGcsServer;
import dev.lea.transport.LargeCatalogHeapIT;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LargeCatalogHeapIT} against the GCS fake (in this JVM, so that only the client's memory
 * is in the child's 64 MiB heap): issue 16 asks for every transport on every store at
 * {@code -Xmx64m}, or a clear refusal, never a JVM crash.
 */
class GcsLargeCatalogHeapIT {

  private static final String BUCKET = "heap";

  @TempDir
  Path dir;
  private static FakeGcsServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = FakeGcsServer.start(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  static Stream<Arguments> transportsAndCompressions() {
    return LargeCatalogHeapIT.transportsAndCompressions();
  }

  static Stream<Arguments> everyTransportAndCompression() {
    return LargeCatalogHeapIT.everyTransportAndCompression();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndCompressions")
  void roundTripOf128MibFitsInA64MibHeap(String transport, String compression) throws Exception {
    String report = roundTrip(LargeCatalogHeapIT.DEFAULT_SIZE, transport, compression);
    System.out.println("gcs: 128 MiB " + transport + " " + compression + ": " + report);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyTransportAndCompression")
  void roundTripOf1GibFitsInA64MibHeap(String transport, String compression) throws Exception {
    LargeCatalogHeapIT.assumeLarge();
    String report = roundTrip(LargeCatalogHeapIT.LARGE_SIZE, transport, compression);
    System.out.println("gcs: 1 GiB " + transport + " " + compression + ": " + report);
  }

  /**
   * The GCS client buffered a whole request (8 MiB by default) to write or read each chunk of
   * about 1 MiB, twice when writing: a 1 GiB catalog ran out of a 64 MiB heap, and 32 MiB
   * already runs out of 40 MiB.
   */
  @Test
  void chunkedRoundTripOf32MibFitsInA40MibHeap() throws Exception {
    String report = roundTrip("-Xmx40m", 32L << 20, "chunked", "zstd");
    System.out.println("gcs at -Xmx40m: 32 MiB chunked zstd: " + report);
  }

  private String roundTrip(long size, String transport, String compression) throws Exception {
    return roundTrip(LargeCatalogHeapIT.MAX_HEAP, size, transport, compression);
  }

  private String roundTrip(String maxHeap, long size, String transport, String compression)
      throws Exception {
    return LargeCatalogHeapIT.roundTrip(dir, maxHeap, size, transport, compression,
        "gs://" + BUCKET, List.of(), List.of(GcsSettings.GCS_ENDPOINT + "=" + server.endpoint()));
  }
}
