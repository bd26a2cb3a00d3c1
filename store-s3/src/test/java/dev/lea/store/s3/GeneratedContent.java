package dev.lea.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A stream of {@code size} pseudo-random bytes made as they are read, never held in memory, with
 * the SHA-256 of what was read; optionally failing after a number of bytes, and calling back once
 * halfway.
 */
final class GeneratedContent extends InputStream {

  private final long size;
  private final long failAt;
  private final Runnable halfway;
  private final SplittableRandom random;
  private final MessageDigest digest = sha256();
  private long position;
  private boolean halfwayCalled;

  GeneratedContent(long size, long seed, long failAt, Runnable halfway) {
    this.size = size;
    this.failAt = failAt;
    this.halfway = halfway;
    this.random = new SplittableRandom(seed);
  }

  static GeneratedContent of(long size) {
    return new GeneratedContent(size, size, -1, () -> { });
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (failAt >= 0 && position >= failAt) {
      throw new IOException("generated failure at byte " + position);
    }
    if (position >= size) {
      return -1;
    }
    if (!halfwayCalled && position >= size / 2) {
      halfwayCalled = true;
      halfway.run();
    }
    int n = (int) Math.min(Math.min(length, 64 * 1024), size - position);
    for (int i = 0; i < n; i++) {
      buffer[offset + i] = (byte) random.nextInt(256);
    }
    digest.update(buffer, offset, n);
    position += n;
    return n;
  }

  String sha256Hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256Hex(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
