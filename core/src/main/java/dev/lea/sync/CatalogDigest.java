package dev.lea.sync;

import dev.lea.internal.LocalFiles;
import dev.lea.store.Crc32c;
import dev.lea.store.ObjectInfo;
import dev.lea.transport.CatalogMetadata;
import dev.lea.transport.Download;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * What is known of a catalog file's bytes without reading it again: its CRC32C (base64, as the
 * stores give it) and SHA-256 (hex), either or both null. Both come from the pass that moved the
 * bytes (the store's checksum of an upload, the checksums a download computed); none is computed
 * on its own. Only a file whose identity changed is read, to tell whether its bytes did too.
 */
record CatalogDigest(String crc32c, String sha256) {

  static final CatalogDigest UNKNOWN = new CatalogDigest(null, null);

  /** What a download computed of the catalog it wrote. */
  static CatalogDigest of(Download download) {
    return new CatalogDigest(download.crc32c(), download.sha256());
  }

  /**
   * What the store says of an object it holds: its SHA-256 when the writer recorded one, and the
   * store's CRC32C when the object is the catalog's bytes as they are (object-copy, uncompressed),
   * else the catalog's CRC32C when the writer recorded one.
   */
  static CatalogDigest of(ObjectInfo object) {
    String crc32c = CatalogMetadata.isVerbatim(object.metadata()) && object.crc32c() != null
        ? object.crc32c() : object.metadata().get(CatalogMetadata.CRC32C);
    return new CatalogDigest(crc32c, object.metadata().get(CatalogMetadata.SHA256));
  }

  boolean isKnown() {
    return crc32c != null || sha256 != null;
  }

  /**
   * False when a digest both know differs: they describe different bytes. True when they agree
   * or share no digest (nothing to contradict the version, which already matched).
   */
  boolean agreesWith(CatalogDigest other) {
    if (crc32c != null && other.crc32c != null && !crc32c.equals(other.crc32c)) {
      return false;
    }
    return sha256 == null || other.sha256 == null || sha256.equalsIgnoreCase(other.sha256);
  }

  /**
   * True when {@code file}'s bytes are the ones described, read once (CRC32C where known: several
   * times cheaper than SHA-256); false when unknown.
   */
  boolean matches(Path file) throws IOException {
    if (!isKnown()) {
      return false;
    }
    CRC32C crc = crc32c != null ? new CRC32C() : null;
    MessageDigest sha = crc == null ? LocalFiles.sha256() : null;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
      while (in.read(buffer.clear()) >= 0) {
        buffer.flip();
        if (crc != null) {
          crc.update(buffer);
        } else {
          sha.update(buffer);
        }
      }
    }
    return crc != null ? Crc32c.toBase64(crc).equals(crc32c)
        : HexFormat.of().formatHex(sha.digest()).equalsIgnoreCase(sha256);
  }
}
