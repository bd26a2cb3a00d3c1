package dev.lea.transport;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Condition;
import dev.lea.store.LocalFiles;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.ZipException;

/**
 * The catalog file's bytes are the object, streamed, optionally compressed. The default: the
 * fewest moving parts and the closest to the physical floor of a plain copy.
 */
public final class ObjectCopyTransport implements CatalogTransport {

  public static final String NAME = "object-copy";

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
        throw new CatalogIntegrityException("Cannot download catalog " + store.describe() + "/"
            + key + ": it was written by the '" + writtenBy + "' transport but '" + NAME
            + "' is configured. Set lea.ducklake.transport=" + writtenBy + ".");
      }
      Compression compression;
      try {
        compression = Compression.named(metadata.get(CatalogMetadata.COMPRESSION));
      } catch (IllegalArgumentException e) {
        throw new CatalogIntegrityException("Cannot download catalog " + store.describe() + "/"
            + key + ": its metadata names an unknown compression '"
            + metadata.get(CatalogMetadata.COMPRESSION) + "'.");
      }
      Path temp = LocalFiles.createPrivateTempSibling(target);
      try {
        String sha;
        try (InputStream in = compression.decompress(read.content());
            OutputStream out = Files.newOutputStream(temp)) {
          sha = LocalFiles.copyWithSha256(in, out);
        } catch (ZipException | java.io.EOFException e) {
          throw corrupt(store, key, "it cannot be decompressed (" + e.getMessage() + ")");
        } catch (IOException e) {
          if (compression == Compression.ZSTD && e.getClass().getName().contains("Zstd")) {
            throw corrupt(store, key, "it cannot be decompressed (" + e.getMessage() + ")");
          }
          throw e;
        }
        long size = Files.size(temp);
        String expectedSha = metadata.get(CatalogMetadata.SHA256);
        if (expectedSha != null && !expectedSha.equalsIgnoreCase(sha)) {
          throw corrupt(store, key, "its SHA-256 is " + sha + " but its metadata says "
              + expectedSha);
        }
        String expectedSize = metadata.get(CatalogMetadata.SIZE);
        if (expectedSize != null && !expectedSize.equals(Long.toString(size))) {
          throw corrupt(store, key, "it has " + size + " bytes but its metadata says "
              + expectedSize);
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
    Map<String, String> metadata = metadata(catalog, compression);
    if (compression == Compression.NONE) {
      return store.put(key, source, metadata, condition);
    }
    return putCompressed(store, key, source, metadata, condition, compression);
  }

  static Map<String, String> metadata(CatalogFile catalog, Compression compression) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(CatalogMetadata.SHA256, catalog.sha256());
    metadata.put(CatalogMetadata.SIZE, Long.toString(catalog.size()));
    metadata.put(CatalogMetadata.FORMAT, catalog.format());
    metadata.put(CatalogMetadata.TRANSPORT, NAME);
    metadata.put(CatalogMetadata.COMPRESSION, compression.metadataValue());
    metadata.put(CatalogMetadata.WRITE_ID, UUID.randomUUID().toString());
    return metadata;
  }

  /**
   * Compresses on a second thread into a pipe that the store reads, so neither side buffers the
   * whole catalog and the store sees one stream of unknown length.
   */
  private static ObjectInfo putCompressed(ObjectStore store, String key, Path source,
      Map<String, String> metadata, Condition condition, Compression compression)
      throws IOException {
    PipedInputStream pipeIn = new PipedInputStream(1 << 20);
    PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
      try (OutputStream out = compression.compress(pipeOut)) {
        Files.copy(source, out);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try (InputStream in = pipeIn) {
      ObjectInfo info = store.put(key, in, -1, metadata, condition);
      producer.get();
      return info;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted while compressing " + source);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.io.UncheckedIOException unchecked) {
        throw unchecked.getCause();
      }
      throw new IOException("Cannot compress " + source + ": " + cause.getMessage(), cause);
    } finally {
      producer.cancel(true);
    }
  }

  private static CatalogIntegrityException corrupt(ObjectStore store, String key, String reason) {
    return new CatalogIntegrityException("Cannot download catalog " + store.describe() + "/" + key
        + ": " + reason + ". The remote object is corrupt or truncated; the local copy and cache"
        + " were left untouched. Restore the object from a backup or a .conflict-/.failed- copy"
        + " beside it.");
  }
}
