package dev.lea.store.s3;

import dev.lea.store.Crc32c;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A part's body that computes its CRC32C as the SDK sends it and hands it on once the whole part
 * has been read: a part of a file needs its CRC32C for the completion request, and reading it
 * ahead would be a second pass over the file. A retried attempt reads a fresh stream; a stream
 * read only in part reports nothing.
 */
final class Crc32cStream extends FilterInputStream {

  private final CRC32C crc = new CRC32C();
  private final long length;
  private final Consumer<String> whenComplete;
  private long read;

  Crc32cStream(InputStream in, long length, Consumer<String> whenComplete) {
    super(in);
    this.length = length;
    this.whenComplete = whenComplete;
    if (length == 0) {
      whenComplete.accept(Crc32c.toBase64(crc));
    }
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      crc.update(b);
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) throws IOException {
    int n = super.read(buffer, offset, count);
    if (n > 0) {
      crc.update(buffer, offset, n);
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) {
    // Skipped bytes would be sent unhashed; the SDK never skips a request body.
    return 0;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void counted(int n) {
    read += n;
    if (read == length) {
      whenComplete.accept(Crc32c.toBase64(crc));
    }
  }
}
