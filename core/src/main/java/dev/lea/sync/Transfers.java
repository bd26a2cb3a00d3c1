package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs each catalog transfer under an overall deadline ({@value LeaSettings#TRANSFER_TIMEOUT}),
 * saying every {@value LeaSettings#TRANSFER_PROGRESS} that it is still waiting. A store that
 * trickles bytes or never answers would otherwise hold the run, and with it the lock, forever;
 * past the deadline the transfer is interrupted and {@code onStalled} runs (the session stops
 * renewing its lock, so other runs can take it once it expires).
 */
final class Transfers {

  /** A transfer: a transport call. */
  @FunctionalInterface
  interface Transfer<T> {
    T run() throws IOException;
  }

  private final Duration timeout;
  private final Duration progress;
  private final Reporter reporter;
  private volatile Runnable onStalled = () -> {};

  Transfers(LeaConfig config, Reporter reporter) {
    this.timeout = positive(config, LeaSettings.TRANSFER_TIMEOUT);
    this.progress = positive(config, LeaSettings.TRANSFER_PROGRESS);
    this.reporter = reporter;
  }

  private static Duration positive(LeaConfig config, String key) {
    Duration value = config.duration(key);
    if (value.isZero() || value.isNegative()) {
      throw LeaException.user("Cannot use " + key + "=" + value + ": it must be a positive"
          + " duration such as PT30M.");
    }
    return value;
  }

  void onStalled(Runnable action) {
    this.onStalled = action;
  }

  <T> T run(String what, Transfer<T> transfer) throws IOException {
    FutureTask<T> task = new FutureTask<>(transfer::run);
    Thread thread = new Thread(task, "lea-transfer");
    thread.setDaemon(true);
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    thread.start();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          task.cancel(true);
          onStalled.run();
          throw new IOException("Cannot finish " + what + ": it took longer than "
              + LeaSettings.TRANSFER_TIMEOUT + " (" + timeout + "), so it was abandoned. Check"
              + " the connection to the store, or raise " + LeaSettings.TRANSFER_TIMEOUT
              + " for a very large catalog on a slow link.");
        }
        try {
          return task.get(Math.min(left, progress.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillRunning) {
          if (deadline - System.nanoTime() > 0) {
            reporter.info("Still " + what + " after "
                + Sizes.seconds(System.nanoTime() - started) + " (gives up after " + timeout
                + ", " + LeaSettings.TRANSFER_TIMEOUT + ")");
          }
        }
      }
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while " + what);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }
}
