package dev.lea.transport;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Condition;
import dev.lea.store.LocalFiles;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ExecutionException;
import java.util.zip.ZipException;

/**
 * The catalog file's bytes are the object, streamed, optionally compressed. The default: the
 * fewest moving parts and the closest to the physical floor of a plain copy.
 */
public final class ObjectCopyTransport implements CatalogTransport {

  public static final String NAME = "object-copy";

  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Download download(
      ObjectStore store, String key, Path target, String ifNoneMatch, LeaConfig config)
      throws IOException {
    try (ReadResult read = store.read(key, ifNoneMatch)) {
      switch (read.status()) {
        case NOT_FOUND:
          return Download.notFound();
        case NOT_MODIFIED:
          return Download.notModified(read.info());
        default:
          break;
      }
      ObjectInfo info = read.info();
      Map<String, String> metadata = info.metadata();
      String writtenBy = metadata.getOrDefault(CatalogMetadata.TRANSPORT, NAME);
      if (!writtenBy.equals(NAME)) {
        throw CatalogIntegrityException.otherTransport(store, key, writtenBy, NAME);
      }
      Compression compression;
      try {
        compression = Compression.named(metadata.get(CatalogMetadata.COMPRESSION));
      } catch (IllegalArgumentException e) {
        throw CatalogIntegrityException.corrupt(store, key, "its metadata names an unknown"
            + " compression '" + metadata.get(CatalogMetadata.COMPRESSION) + "'");
      }
      Path temp = LocalFiles.createPrivateTempSibling(target);
      try {
        String sha;
        InputStream content = read.content();
        if (!metadata.containsKey(CatalogMetadata.TRANSPORT)) {
          content = refuseParquet(store, key, content);
        }
        try (InputStream in = compression.decompress(content);
            OutputStream out = Files.newOutputStream(temp)) {
          sha = LocalFiles.copyWithSha256(in, out);
        } catch (ZipException | java.io.EOFException e) {
          throw undecompressable(store, key, e);
        } catch (IOException e) {
          if (compression == Compression.ZSTD && e.getClass().getName().contains("Zstd")) {
            throw undecompressable(store, key, e);
          }
          throw e;
        }
        long size = Files.size(temp);
        String expectedSize = metadata.get(CatalogMetadata.SIZE);
        if (expectedSize != null && !expectedSize.equals(Long.toString(size))) {
          throw CatalogIntegrityException.corrupt(store, key, "it has " + size
              + " bytes but its metadata says " + expectedSize);
        }
        String expectedSha = metadata.get(CatalogMetadata.SHA256);
        if (expectedSha != null && !expectedSha.equalsIgnoreCase(sha)) {
          throw CatalogIntegrityException.corrupt(store, key, "its SHA-256 is " + sha
              + " but its metadata says " + expectedSha);
        }
        LocalFiles.moveAtomically(temp, target);
        return new Download(ReadResult.Status.FOUND, info, sha, size);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  @Override
  public ObjectInfo upload(ObjectStore store, String key, Path source, CatalogFile catalog,
      Condition condition, LeaConfig config) throws IOException {
    Compression compression = Compression.named(config.get(LeaSettings.COMPRESSION));
    Map<String, String> metadata = CatalogMetadata.of(catalog, NAME, compression);
    if (compression == Compression.NONE) {
      return store.put(key, source, metadata, condition);
    }
    return putCompressed(store, key, source, metadata, condition, compression);
  }

  /**
   * Compresses on a second thread into a pipe that the store reads, so neither side buffers the
   * whole catalog and the store sees one stream of unknown length. The store's end of the pipe
   * reports end-of-stream only after the compressor finished cleanly: a compressor that failed
   * halfway makes the read fail, so the store aborts instead of committing a truncated catalog.
   */
  private static ObjectInfo putCompressed(ObjectStore store, String key, Path source,
      Map<String, String> metadata, Condition condition, Compression compression)
      throws IOException {
    PipedInputStream pipeIn = new PipedInputStream(1 << 20);
    PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
    FutureTask<Void> producer = new FutureTask<>(() -> {
      try (OutputStream out = compression.compress(pipeOut)) {
        Files.copy(source, out);
      }
      return null;
    });
    Thread thread = new Thread(producer, "lea-compress-" + key);
    thread.setDaemon(true);
    thread.start();
    InputStream checked = new FilterInputStream(pipeIn) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
          awaitCompressor(producer, source);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
          awaitCompressor(producer, source);
        }
        return n;
      }
    };
    try (InputStream in = checked) {
      ObjectInfo info = store.put(key, in, -1, metadata, condition);
      awaitCompressor(producer, source);
      return info;
    } finally {
      producer.cancel(true);
    }
  }

  private static void awaitCompressor(FutureTask<Void> producer, Path source) throws IOException {
    try {
      producer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while compressing " + source);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException("Cannot compress " + source + ": " + cause.getMessage(), cause);
    }
  }

  private static CatalogIntegrityException undecompressable(
      ObjectStore store, String key, IOException e) {
    String reason = e.getMessage() != null ? e.getMessage()
        : e instanceof java.io.EOFException ? "it ends too early" : e.getClass().getSimpleName();
    return CatalogIntegrityException.corrupt(store, key, "it cannot be decompressed (" + reason
        + ")", e);
  }

  /**
   * An object without lea metadata has nothing to verify it against, so at least a Parquet file
   * (the proof of concept's format, which no catalog format starts with) is not taken for a
   * catalog.
   */
  private static InputStream refuseParquet(ObjectStore store, String key, InputStream content)
      throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(content);
    buffered.mark(PARQUET_MAGIC.length);
    byte[] start = buffered.readNBytes(PARQUET_MAGIC.length);
    buffered.reset();
    if (Arrays.equals(start, PARQUET_MAGIC)) {
      throw CatalogIntegrityException.otherTransport(store, key, ParquetBlobTransport.NAME, NAME);
    }
    return buffered;
  }
}
