package dev.lea.internal;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.Checksum;

/** The text form of a CRC32C that every store uses: base64 of its four big-endian bytes. */
public final class Crc32c {

  private Crc32c() {}

  public static String toBase64(Checksum crc32c) {
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(Integer.BYTES).putInt((int) crc32c.getValue()).array());
  }
}
