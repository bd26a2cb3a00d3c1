package dev.lea.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A byte range of a file read with positional reads, so that the parts of one upload can read
 * their own slices of one shared channel at the same time without a buffer of their own.
 */
final class SliceStream extends InputStream {

  private final FileChannel channel;
  private final long end;
  private long position;

  SliceStream(FileChannel channel, long offset, long length) {
    this.channel = channel;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    long left = end - position;
    if (left <= 0) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, left)), position);
    if (n < 0) {
      throw new IOException("The file ended at byte " + position + " while " + left
          + " more bytes of this part were expected; it was truncated during the upload.");
    }
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, end - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
