package dev.lea.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;

/**
 * A response body as a channel that fills the caller's buffer up to {@link #CHUNK} bytes per
 * read. {@code Channels.newChannel} hands on at most 8 KiB per read, so a download into a file
 * would pay a checksum update and a write call per 8 KiB; here it pays them per chunk.
 */
final class BodyChannel implements ReadableByteChannel {

  static final int CHUNK = 256 * 1024;

  private final InputStream in;
  private byte[] chunk;
  private boolean open = true;

  BodyChannel(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int wanted = Math.min(target.remaining(), CHUNK);
    if (wanted == 0) {
      return 0;
    }
    byte[] into;
    int offset;
    if (target.hasArray()) {
      into = target.array();
      offset = target.arrayOffset() + target.position();
    } else {
      if (chunk == null) {
        chunk = new byte[CHUNK];
      }
      into = chunk;
      offset = 0;
    }
    int filled = 0;
    while (filled < wanted) {
      int n = in.read(into, offset + filled, wanted - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    if (filled == 0) {
      return -1;
    }
    if (target.hasArray()) {
      target.position(target.position() + filled);
    } else {
      target.put(chunk, 0, filled);
    }
    return filled;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    in.close();
  }
}
