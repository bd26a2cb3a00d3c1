package dev.lea.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The text form of a CRC32C that every store uses for {@link ObjectInfo#crc32c()}: base64 of its
 * four big-endian bytes. Part of the SPI so that a store computing one on its own encodes it alike.
 */
public final class Crc32c {

  private Crc32c() {}

  /** The CRC32C of a file's bytes, read once through a direct buffer. */
  public static String of(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
      while (in.read(buffer.clear()) >= 0) {
        crc.update(buffer.flip());
      }
    }
    return toBase64(crc);
  }

  public static String toBase64(Checksum crc32c) {
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(Integer.BYTES).putInt((int) crc32c.getValue()).array());
  }
}
