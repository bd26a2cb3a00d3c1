package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.Download;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real download (object-copy from a {@code file:} store into a work directory) reports the
 * bytes it has written. The store hands out one MiB per read and waits at a gate before each;
 * the ticker opens the gate once per wait and waits until that MiB is on disk, so each progress
 * line sees exactly one MiB more, with no sleeping and no dependence on the machine's speed.
 */
class DownloadProgressTest {

  private static final int MIB = 1024 * 1024;
  private static final Pattern DONE = Pattern.compile(
      "Still downloading catalog file:/lake\\.ducklake after \\d+\\.00 s: (\\d+)\\.0 MiB"
          + "( of 8\\.0 MiB \\(\\d+%\\))?, \\d+\\.\\d MiB/s \\(gives up after PT30M,"
          + " lea\\.transfer\\.timeout\\)");

  @TempDir Path dir;

  /** Each read after the first first says the previous MiB was written, then waits its turn. */
  private static final class GatedStore extends ForwardingObjectStore {
    private final ProgressGate gate;

    GatedStore(ObjectStore delegate, ProgressGate gate) {
      super(delegate);
      this.gate = gate;
    }

    @Override
    public ReadResult read(String key, String ifNoneMatch) throws IOException {
      ReadResult read = delegate.read(key, ifNoneMatch);
      if (read.status() != ReadResult.Status.FOUND) {
        return read;
      }
      ReadableByteChannel in = read.channel();
      return ReadResult.found(read.info(), new ReadableByteChannel() {
        private boolean first = true;

        @Override
        public int read(ByteBuffer buffer) throws IOException {
          if (!first) {
            gate.reached.release();
          }
          first = false;
          try {
            gate.open.acquire();
          } catch (InterruptedException e) {
            throw new InterruptedIOException();
          }
          ByteBuffer oneMib = buffer.slice(buffer.position(),
              Math.min(buffer.remaining(), MIB));
          int n = in.read(oneMib);
          if (n > 0) {
            buffer.position(buffer.position() + n);
          }
          return n;
        }

        @Override
        public boolean isOpen() {
          return in.isOpen();
        }

        @Override
        public void close() {
          read.close();
        }
      });
    }
  }

  @Test
  void aDownloadReportsTheBytesWrittenSoFarLineByLine() throws Exception {
    LeaConfig config = ConfigResolver.builder().projectDirectory(dir)
        .configuration(Map.of(LeaSettings.TRANSFER_PROGRESS, "PT1S")).resolve();
    Path catalog = dir.resolve("catalog.ducklake");
    byte[] bytes = new byte[8 * MIB];
    new Random(18).nextBytes(bytes);
    Files.write(catalog, bytes);
    Path work = Files.createDirectories(dir.resolve("work"));
    Path local = work.resolve("lake.ducklake");
    CatalogTransport transport = CatalogTransports.named("object-copy");
    ProgressGate gate = new ProgressGate();
    List<String> lines = new ArrayList<>();
    Reporter log = Reporters.collectingMarked(lines);

    try (ObjectStore files = ObjectStores.file(Files.createDirectories(dir.resolve("bucket")));
        ObjectStore store = new GatedStore(files, gate)) {
      transport.upload(files, "lake.ducklake", catalog,
          new CatalogFile(null, bytes.length, "ducklake"), Condition.none());
      Download download = new Transfers(config, log, gate.ticker(true)).run(
          "downloading catalog file:/lake.ducklake",
          DownloadMeter.of(store, "lake.ducklake", local), () -> {
            try {
              return transport.download(store, "lake.ducklake", local, null);
            } finally {
              gate.finish();
            }
          });

      assertThat(download.size()).isEqualTo(bytes.length);
    }

    List<Long> mib = new ArrayList<>();
    for (String line : lines) {
      Matcher matcher = DONE.matcher(line);
      assertThat(matcher.matches()).as(line).isTrue();
      mib.add(Long.parseLong(matcher.group(1)));
    }
    assertThat(mib).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(Files.readAllBytes(local)).isEqualTo(bytes);
  }
}
