package dev.lea.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A stream of {@code size} pseudo-random bytes made as they are read, never held in memory, with
 * the SHA-256 of what was read; optionally failing after a number of bytes, calling back once
 * halfway, and calling back every so many bytes (to sample the heap while a store streams it).
 */
public final class GeneratedContent extends InputStream {

  private static final int BUFFER = 64 * 1024;

  private final long size;
  private final long failAt;
  private final Runnable halfway;
  private final SplittableRandom random;
  private final MessageDigest digest = sha256();
  private long position;
  private boolean halfwayCalled;
  private long every = Long.MAX_VALUE;
  private Runnable sample = () -> { };

  /**
   * @param failAt the position at which reading throws an {@link IOException}, or -1 for never
   * @param halfway called once, when the reader reaches {@code size / 2}
   */
  public GeneratedContent(long size, long seed, long failAt, Runnable halfway) {
    this.size = size;
    this.failAt = failAt;
    this.halfway = halfway;
    this.random = new SplittableRandom(seed);
  }

  /** {@code size} bytes, seeded with {@code size}. */
  public static GeneratedContent of(long size) {
    return of(size, size);
  }

  public static GeneratedContent of(long size, long seed) {
    return new GeneratedContent(size, seed, -1, () -> { });
  }

  /** Calls {@code sample} each time the reader passes a multiple of {@code bytes}. */
  public GeneratedContent sampling(long bytes, Runnable sample) {
    this.every = bytes;
    this.sample = sample;
    return this;
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
    int n = (int) Math.min(Math.min(length, BUFFER), size - position);
    for (int i = 0; i < n; i++) {
      buffer[offset + i] = (byte) random.nextInt(256);
    }
    digest.update(buffer, offset, n);
    long before = position;
    position += n;
    if (before / every != position / every) {
      sample.run();
    }
    return n;
  }

  /** The SHA-256 of the content; the reader must have consumed all of it. */
  public String sha256Hex() {
    assertThat(position).as("bytes consumed by the store").isEqualTo(size);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of everything {@code in} has left. */
  public static String sha256Hex(InputStream in) throws IOException {
    return sha256Hex(in, Long.MAX_VALUE, () -> { });
  }

  /** As {@link #sha256Hex(InputStream)}, calling {@code sample} every {@code bytes} read. */
  public static String sha256Hex(InputStream in, long bytes, Runnable sample) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
      long before = total;
      total += n;
      if (before / bytes != total / bytes) {
        sample.run();
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of {@code data}. */
  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
