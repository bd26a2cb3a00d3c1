package dev.lea.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The first bytes of a catalog as it arrived. A database engine rewrites its header at every
 * commit (DuckDB one of the two database headers in its first 12 KiB, with a new checkpoint
 * iteration; SQLite its change counter at byte 24), so a written file whose size stayed the same
 * is told changed from these bytes alone, instead of from a pass over the whole file that the
 * upload then repeats.
 */
final class LeadingBytes {

  /** DuckDB's file header and both database headers: 3 blocks of 4 KiB, with room to spare. */
  private static final int LENGTH = 16 * 1024;

  private final byte[] bytes;

  private LeadingBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  static LeadingBytes of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new LeadingBytes(in.readNBytes(LENGTH));
    }
  }

  /**
   * True only when {@code file} certainly holds other bytes than the ones these were read from.
   * False proves nothing: the rest of the file may still differ.
   */
  boolean differFrom(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return !Arrays.equals(bytes, in.readNBytes(LENGTH));
    }
  }
}
