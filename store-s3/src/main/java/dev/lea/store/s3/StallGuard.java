package dev.lea.store.s3;

import dev.lea.config.LeaSettings;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A download's body with a deadline per window of bytes: each {@code window} bytes must arrive
 * within {@code deadline}. A silent endpoint is caught by the socket's read timeout; this catches
 * the one that trickles a few bytes at a time, which would otherwise hold a run, and its lock,
 * for hours. On a miss the response is aborted so the connection is not reused.
 */
final class StallGuard extends FilterInputStream {

  private final Runnable abort;
  private final long window;
  private final long deadlineNanos;
  private final Duration deadline;
  private final String url;
  private long windowStart = System.nanoTime();
  private long inWindow;
  private long total;

  StallGuard(InputStream in, Runnable abort, long window, Duration deadline, String url) {
    super(in);
    this.abort = abort;
    this.window = window;
    this.deadline = deadline;
    this.deadlineNanos = deadline.toNanos();
    this.url = url;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    advanced(b < 0 ? -1 : 1);
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    advanced(n);
    return n;
  }

  private void advanced(int n) throws IOException {
    if (n < 0) {
      return;
    }
    inWindow += n;
    total += n;
    long now = System.nanoTime();
    if (inWindow >= window) {
      windowStart = now;
      inWindow = 0;
    } else if (now - windowStart > deadlineNanos) {
      abort.run();
      throw new IOException("Cannot read " + url + ": the endpoint sent only " + inWindow
          + " bytes in " + deadline + " (after " + (total - inWindow) + " bytes); "
          + LeaSettings.STORE_ATTEMPT_TIMEOUT + " (LEA_STORE_ATTEMPT_TIMEOUT) expects " + window
          + " bytes within that time. Check the network or the endpoint, or raise "
          + LeaSettings.STORE_ATTEMPT_TIMEOUT + " for a slow link.");
    }
  }
}
