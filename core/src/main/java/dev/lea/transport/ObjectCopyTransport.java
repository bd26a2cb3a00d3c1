package dev.lea.transport;

import dev.lea.internal.LocalFiles;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.Crc32c;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.Checksum;
import java.util.zip.ZipException;

/**
 * The catalog file's bytes are the object, streamed, optionally compressed. The default: the
 * fewest moving parts and the closest to the physical floor of a plain copy.
 */
final class ObjectCopyTransport implements CatalogTransport {

  static final String NAME = "object-copy";

  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

  private final TransportOptions options;

  ObjectCopyTransport() {
    this(TransportOptions.DEFAULTS);
  }

  private ObjectCopyTransport(TransportOptions options) {
    this.options = options;
  }

  @Override
  public CatalogTransport withOptions(TransportOptions options) {
    return new ObjectCopyTransport(options);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Download download(
      ObjectStore store, String key, Path target, String ifNoneMatch)
      throws IOException {
    try (ReadResult read = store.read(key, ifNoneMatch)) {
      Optional<Download> nothingToWrite = Download.withoutContent(read);
      if (nothingToWrite.isPresent()) {
        return nothingToWrite.get();
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
        // One pass: every checksum is computed on the bytes as they arrive. The store's own
        // CRC32C is cheap; SHA-256 costs several times a copy, so it is computed only to check a
        // digest the writer recorded or for an object the store keeps no checksum of.
        Checksum objectCrc = new CRC32C();
        Checksum catalogCrc = compression == Compression.NONE ? objectCrc : new CRC32C();
        String expectedSha = metadata.get(CatalogMetadata.SHA256);
        String expectedCrc = metadata.get(CatalogMetadata.CRC32C);
        MessageDigest sha = expectedSha != null || (info.crc32c() == null && expectedCrc == null)
            ? LocalFiles.sha256() : null;
        long size;
        if (compression == Compression.NONE) {
          // The temporary file is new and empty: opening it with TRUNCATE_EXISTING would make
          // ext4 flush all of it to disk on close (auto_da_alloc), as for a file replaced in place.
          try (FileChannel out = FileChannel.open(temp, StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
            size = read.transferTo(out, bytes -> update(bytes, objectCrc, sha));
          }
          if (!metadata.containsKey(CatalogMetadata.TRANSPORT)) {
            refuseParquet(store, key, temp);
          }
        } else {
          InputStream content = new CheckedInputStream(read.content(), objectCrc);
          try (InputStream in = compression.decompress(content)) {
            size = copy(Channels.newChannel(in), temp, catalogCrc, sha);
            // The store's CRC32C covers every byte, also any a decompressor left unread.
            content.transferTo(OutputStream.nullOutputStream());
          } catch (ZipException | java.io.EOFException e) {
            throw undecompressable(store, key, e);
          } catch (IOException e) {
            if (compression == Compression.ZSTD && e.getClass().getName().contains("Zstd")) {
              throw undecompressable(store, key, e);
            }
            throw e;
          }
        }
        String expectedSize = metadata.get(CatalogMetadata.SIZE);
        if (expectedSize != null && !expectedSize.equals(Long.toString(size))) {
          throw CatalogIntegrityException.corrupt(store, key, "it has " + size
              + " bytes but its metadata says " + expectedSize);
        }
        String digest = sha == null ? null : HexFormat.of().formatHex(sha.digest());
        if (expectedSha != null && !expectedSha.equalsIgnoreCase(digest)) {
          throw CatalogIntegrityException.corrupt(store, key, "its SHA-256 is " + digest
              + " but its metadata says " + expectedSha);
        }
        String catalogCrc32c = Crc32c.toBase64(catalogCrc);
        if (expectedCrc != null && !expectedCrc.equals(catalogCrc32c)) {
          throw CatalogIntegrityException.corrupt(store, key, "its bytes have CRC32C "
              + catalogCrc32c + " but its metadata says " + expectedCrc);
        }
        String crc = Crc32c.toBase64(objectCrc);
        if (info.crc32c() != null && !info.crc32c().equals(crc)) {
          throw CatalogIntegrityException.corrupt(store, key, "its bytes have CRC32C " + crc
              + " but the store recorded " + info.crc32c());
        }
        LocalFiles.moveAtomically(temp, target);
        return new Download(ReadResult.Status.FOUND, info, digest, size, catalogCrc32c);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void update(ByteBuffer bytes, Checksum crc, MessageDigest sha) {
    if (sha != null) {
      sha.update(bytes.duplicate());
    }
    crc.update(bytes);
  }

  /**
   * An object without lea metadata has nothing to verify it against, so at least a Parquet file
   * (the proof of concept's format, which no catalog format starts with) is not taken for a
   * catalog.
   */
  private static void refuseParquet(ObjectStore store, String key, Path copied)
      throws IOException {
    ByteBuffer start = ByteBuffer.allocate(PARQUET_MAGIC.length);
    try (FileChannel in = FileChannel.open(copied, StandardOpenOption.READ)) {
      int n = 0;
      while (start.hasRemaining() && n >= 0) {
        n = in.read(start);
      }
    }
    if (!start.hasRemaining() && Arrays.equals(start.array(), PARQUET_MAGIC)) {
      throw CatalogIntegrityException.otherTransport(store, key, ParquetBlobTransport.NAME,
          NAME);
    }
  }

  /** Copies decompressed content through one direct buffer, updating the checksums on it. */
  private static long copy(ReadableByteChannel in, Path temp, Checksum crc, MessageDigest sha)
      throws IOException {
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      return LocalFiles.copy(in, out, bytes -> update(bytes, crc, sha));
    }
  }

  @Override
  public ObjectInfo upload(ObjectStore store, String key, Path source, CatalogFile catalog,
      Condition condition) throws IOException {
    Compression compression = options.codec();
    // Without a checksum of the store's own, lea records one, and metadata go before the body:
    // a CRC32C read ahead costs a fraction of the SHA-256 it replaces, and the download checks it
    // on the pass it makes anyway.
    String crc32c = catalog.sha256() == null && !store.supports(Capability.CRC32C)
        ? Crc32c.of(source) : null;
    Map<String, String> metadata = CatalogMetadata.of(catalog, crc32c, NAME, compression);
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
}
