package dev.lea.store.gcs;

import dev.lea.testing.FakeGcsServer;
import dev.lea.transport.LargeCatalogHeapIT;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndCompressions")
  void roundTripFitsInA64MibHeap(String transport, String compression) throws Exception {
    String report = LargeCatalogHeapIT.roundTrip(dir, transport, compression, "gs://" + BUCKET,
        List.of(), List.of(GcsSettings.GCS_ENDPOINT + "=" + server.endpoint()));
    System.out.println("gcs: " + transport + " " + compression + ": " + report);
  }
}
