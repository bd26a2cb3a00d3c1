package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.TransportOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real upload (object-copy into a {@code file:} store) reports the bytes the store has
 * written. The store counts per buffer of one MiB; the test holds it after each count until the
 * ticker has reported, so every progress line sees exactly one MiB more, without sleeping.
 */
class UploadProgressTest {

  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;

  /** Counts on, then waits at the gate until the next progress line was written. */
  private static final class GatedCount extends LongAdder {
    private final LongAdder sent;
    private final ProgressGate gate;

    GatedCount(LongAdder sent, ProgressGate gate) {
      this.sent = sent;
      this.gate = gate;
    }

    @Override
    public void add(long x) {
      sent.add(x);
      gate.reached.release();
      gate.open.acquireUninterruptibly();
    }
  }

  /** The store, its file uploads counting through the gate. */
  private static ObjectStore gated(ObjectStore files, ProgressGate gate) {
    return new ForwardingObjectStore(files) {
      @Override
      public ObjectInfo put(String key, Path file, Map<String, String> metadata,
          Condition condition, LongAdder sent) throws IOException {
        return delegate.put(key, file, metadata, condition, new GatedCount(sent, gate));
      }
    };
  }

  private LeaConfig config(String compression) {
    return ConfigResolver.builder().projectDirectory(dir).configuration(Map.of(
        LeaSettings.TRANSFER_PROGRESS, "PT1S", LeaSettings.COMPRESSION, compression)).resolve();
  }

  private Path catalog() throws IOException {
    byte[] bytes = new byte[8 * MIB];
    new Random(18).nextBytes(bytes);
    return Files.write(dir.resolve("catalog.ducklake"), bytes);
  }

  @Test
  void anUploadReportsTheBytesTheStoreWroteLineByLine() throws Exception {
    LeaConfig config = config("none");
    Path catalog = catalog();
    CatalogTransport transport = CatalogTransports.named("object-copy");
    ProgressGate gate = new ProgressGate();
    List<String> lines = new ArrayList<>();
    Reporter log = Reporters.collectingMarked(lines);

    try (ObjectStore files = ObjectStores.file(Files.createDirectories(dir.resolve("bucket")));
        ObjectStore store = gated(files, gate)) {
      UploadMeter counted = new UploadMeter(store);
      new Transfers(config, log, gate.ticker(false)).run("uploading catalog file:/lake.ducklake",
          counted.meter(Files.size(catalog)), () -> {
            try {
              return transport.upload(counted, "lake.ducklake", catalog,
                  new CatalogFile(null, Files.size(catalog), "ducklake"), Condition.none());
            } finally {
              gate.finish();
            }
          });
    }

    List<String> expected = new ArrayList<>();
    for (int mib = 1; mib <= 8; mib++) {
      expected.add("Still uploading catalog file:/lake.ducklake after " + mib + ".00 s: " + mib
          + ".0 MiB of 8.0 MiB (" + (mib * 100 / 8) + "%), 1.0 MiB/s (gives up after PT30M,"
          + " lea.transfer.timeout)");
    }
    assertThat(lines).containsExactlyElementsOf(expected);
    assertThat(Files.readAllBytes(dir.resolve("bucket/lake.ducklake")))
        .isEqualTo(Files.readAllBytes(catalog));
  }

  @Test
  void aCompressedUploadSaysItsSizeButNoByteCount() throws Exception {
    LeaConfig config = config("gzip");
    Path catalog = catalog();
    try (ObjectStore files = ObjectStores.file(Files.createDirectories(dir.resolve("bucket")))) {
      UploadMeter counted = new UploadMeter(files);
      Transfers.Meter meter = counted.meter(Files.size(catalog));
      CatalogTransports.named("object-copy").withOptions(TransportOptions.of(config)).upload(counted, "lake.ducklake", catalog,
          new CatalogFile(null, Files.size(catalog), "ducklake"), Condition.none());

      assertThat(meter.done().getAsLong()).isEqualTo(-1);
      assertThat(Transfers.line("uploading catalog file:/lake.ducklake", meter, 3_000_000_000L))
          .isEqualTo("Still uploading catalog file:/lake.ducklake after 3.00 s (8.0 MiB)");
    }
  }
}
