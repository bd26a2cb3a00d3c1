package dev.lea.testing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * Where a child JVM stops for good, so that its parent can kill it exactly there: it prints a line
 * the parent waits for, then blocks until the process dies.
 */
public final class Stall {

  private Stall() {}

  /** Prints {@code line} and blocks forever. */
  public static void here(String line) {
    System.out.println(line);
    System.out.flush();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code content} up to {@code position} bytes; a read past that stalls with {@code line}. */
  public static InputStream at(InputStream content, long position, String line) {
    return new FilterInputStream(content) {
      private long read;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (read >= position) {
          here(line);
        }
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, position - read)));
        if (n > 0) {
          read += n;
        }
        return n;
      }
    };
  }
}
