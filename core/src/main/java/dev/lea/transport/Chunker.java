package dev.lea.transport;

import dev.lea.internal.LocalFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Content-defined chunking in the style of FastCDC: a gear rolling hash cuts where its top bits
 * are zero, so a cut depends only on the 64 bytes before it and an insert or delete moves only the
 * boundaries next to it. Normalised chunking (a harder mask before the average size, an easier
 * one after) keeps sizes close to the average; no chunk is smaller than the minimum (except the
 * last) or larger than the maximum.
 */
final class Chunker {

  static final int DEFAULT_MIN = 256 * 1024;
  static final int DEFAULT_AVERAGE = 1024 * 1024;
  static final int DEFAULT_MAX = 4 * 1024 * 1024;

  /** The smallest window in which the gear hash has seen its full 64 bytes. */
  private static final int MIN_LIMIT = 64;
  private static final int NORMALISATION = 2;
  private static final long[] GEAR = gear();

  /** Receives the chunks of a stream in order; {@code data} is reused after the call returns. */
  interface Sink {
    void chunk(byte[] data, int offset, int length, long position) throws IOException;
  }

  /** A chunk of a file: where it is and its SHA-256 (lower-case hex). */
  record Chunk(long position, int length, String sha256) {}

  private final int min;
  private final int average;
  private final int max;
  private final long hardMask;
  private final long easyMask;

  Chunker() {
    this(DEFAULT_MIN, DEFAULT_AVERAGE, DEFAULT_MAX);
  }

  Chunker(int min, int average, int max) {
    if (min < MIN_LIMIT || average <= min || max <= average || max > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("Chunk sizes must satisfy " + MIN_LIMIT
          + " <= min < average < max <= " + Integer.MAX_VALUE / 2 + "; got min " + min
          + ", average " + average + ", max " + max);
    }
    this.min = min;
    this.average = average;
    this.max = max;
    int bits = 31 - Integer.numberOfLeadingZeros(average);
    this.hardMask = topBits(bits + NORMALISATION);
    this.easyMask = topBits(Math.max(1, bits - NORMALISATION));
  }

  int max() {
    return max;
  }

  /** Reads {@code in} to its end and hands each chunk to {@code sink}, holding two max sizes. */
  void split(InputStream in, Sink sink) throws IOException {
    byte[] buffer = new byte[2 * max];
    int start = 0;
    int limit = 0;
    long position = 0;
    boolean end = false;
    while (true) {
      if (!end && limit - start < max) {
        System.arraycopy(buffer, start, buffer, 0, limit - start);
        limit -= start;
        start = 0;
        while (limit < buffer.length) {
          int read = in.read(buffer, limit, buffer.length - limit);
          if (read < 0) {
            end = true;
            break;
          }
          limit += read;
        }
      }
      if (limit == start) {
        return;
      }
      int length = cut(buffer, start, limit - start);
      sink.chunk(buffer, start, length, position);
      start += length;
      position += length;
    }
  }

  /** The chunks of a file, with their SHA-256. */
  List<Chunk> chunks(Path file) throws IOException {
    List<Chunk> chunks = new ArrayList<>();
    MessageDigest digest = LocalFiles.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      split(in, (data, offset, length, position) -> {
        digest.update(data, offset, length);
        chunks.add(new Chunk(position, length, HexFormat.of().formatHex(digest.digest())));
      });
    }
    return chunks;
  }

  /**
   * The length of the chunk that starts at {@code offset}; {@code available} is less than the
   * maximum only at the end of the input.
   */
  int cut(byte[] data, int offset, int available) {
    if (available <= min) {
      return available;
    }
    int end = Math.min(available, max);
    int normal = Math.min(average, end);
    long hash = 0;
    int i = min;
    for (; i < normal; i++) {
      hash = (hash << 1) + GEAR[data[offset + i] & 0xff];
      if ((hash & hardMask) == 0) {
        return i + 1;
      }
    }
    for (; i < end; i++) {
      hash = (hash << 1) + GEAR[data[offset + i] & 0xff];
      if ((hash & easyMask) == 0) {
        return i + 1;
      }
    }
    return end;
  }

  /** The top bits: after a left shift per byte they depend on the last 64 bytes only. */
  private static long topBits(int bits) {
    return -1L << (64 - bits);
  }

  /**
   * A fixed table (SplitMix64 from a fixed seed): boundaries must be the same on every machine
   * and in every version, or uploads would stop finding the chunks already stored.
   */
  private static long[] gear() {
    long[] table = new long[256];
    long state = 0x6c65612d63646321L;
    for (int i = 0; i < table.length; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      table[i] = z ^ (z >>> 31);
    }
    return table;
  }
}
