package dev.lea.store.gcs;

import dev.lea.testing.FakeGcsServer;
import dev.lea.transport.HeapContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HeapContract} against the GCS fake (in this JVM, so that only the client's memory is in
 * the child's 64 MiB heap): issue 16 asks for every transport on every store at {@code -Xmx64m},
 * or a clear refusal, never a JVM crash.
 */
class GcsLargeCatalogHeapIT extends HeapContract {

  private static final String BUCKET = "heap";

  private static FakeGcsServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = FakeGcsServer.start(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected String storeName() {
    return "gcs";
  }

  @Override
  protected String bucketUrl() {
    return "gs://" + BUCKET;
  }

  @Override
  protected List<String> settings() {
    return List.of(GcsSettings.GCS_ENDPOINT + "=" + server.endpoint());
  }

  /**
   * The GCS client buffered a whole request (8 MiB by default) to write or read each chunk of
   * about 1 MiB, twice when writing: a 1 GiB catalog ran out of a 64 MiB heap, and 32 MiB
   * already runs out of 40 MiB.
   */
  @Test
  void chunkedRoundTripOf32MibFitsInA40MibHeap() throws Exception {
    report("32 MiB at -Xmx40m", "-Xmx40m", 32L << 20, "chunked", "zstd");
  }
}
