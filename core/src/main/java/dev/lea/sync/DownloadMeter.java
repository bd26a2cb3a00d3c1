package dev.lea.sync;

import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.transport.CatalogMetadata;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Measures a download from outside, so the transport's copy (zero-copy on {@code file:}) is not
 * slowed: bytes done are the size of the part file every transport writes next to its target
 * ({@code .<name>.<id>.part}), the total the catalog size the object's metadata records, asked
 * for only once the download turns out long enough to report on, and on a thread of its own so
 * that a slow answer never holds the transfer's deadline.
 */
final class DownloadMeter {

  private final ObjectStore store;
  private final String key;
  private final Path target;
  private volatile CompletableFuture<Long> total;

  private DownloadMeter(ObjectStore store, String key, Path target) {
    this.store = store;
    this.key = key;
    this.target = target;
  }

  static Transfers.Meter of(ObjectStore store, String key, Path target) {
    DownloadMeter meter = new DownloadMeter(store, key, target);
    return new Transfers.Meter(meter::done, meter::total);
  }

  private long done() {
    Path dir = target.toAbsolutePath().getParent();
    long bytes = 0;
    try (DirectoryStream<Path> parts =
        Files.newDirectoryStream(dir, "." + target.getFileName() + ".*.part")) {
      for (Path part : parts) {
        bytes += sizeOrZero(part);
      }
    } catch (IOException e) {
      return -1;
    }
    return bytes;
  }

  /** A part file's size; 0 once it was moved into place or deleted after the listing. */
  private static long sizeOrZero(Path part) {
    try {
      return Files.size(part);
    } catch (IOException gone) {
      return 0;
    }
  }

  private long total() {
    if (total == null) {
      total = CompletableFuture.supplyAsync(this::recordedSize, task -> {
        Thread thread = new Thread(task, "lea-transfer-size");
        thread.setDaemon(true);
        thread.start();
      }).exceptionally(failed -> -1L);
    }
    return total.getNow(-1L);
  }

  private long recordedSize() {
    try {
      Optional<String> size = store.head(key)
          .map(ObjectInfo::metadata)
          .map(metadata -> metadata.get(CatalogMetadata.SIZE));
      return size.map(Long::parseLong).orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1L;
    }
  }
}
