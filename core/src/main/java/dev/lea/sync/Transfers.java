package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Background;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Runs each catalog transfer under an overall deadline ({@value LeaSettings#TRANSFER_TIMEOUT}),
 * saying how far it got: every {@value LeaSettings#TRANSFER_PROGRESS} as a line of a log, or,
 * when the reporter {@linkplain Reporter#updatesInPlace() updates in place} (a terminal), on one
 * line rewritten every second once the transfer has run two. A store that trickles bytes or never
 * answers would otherwise hold the run, and with it the lock, forever; past the deadline the
 * transfer is interrupted and {@code onStalled} runs (the session stops renewing its lock, so
 * other runs can take it once it expires).
 */
final class Transfers {

  /** A transfer: a transport call. */
  @FunctionalInterface
  interface Transfer<T> {
    T run() throws IOException;
  }

  /**
   * What a transfer has done so far and of how much, in bytes, each -1 while unknown. Read from
   * the waiting thread, so a transfer is never slowed to count.
   */
  record Meter(LongSupplier done, LongSupplier total) {}

  /** Time and waiting, separate so that a test can drive the progress schedule itself. */
  interface Ticker {

    Ticker SYSTEM = new Ticker() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public <T> T await(Future<T> task, long nanos)
          throws InterruptedException, ExecutionException, TimeoutException {
        return task.get(nanos, TimeUnit.NANOSECONDS);
      }
    };

    long nanoTime();

    /** {@code task}'s result, or a {@link TimeoutException} once {@code nanos} passed. */
    <T> T await(Future<T> task, long nanos)
        throws InterruptedException, ExecutionException, TimeoutException;
  }

  /** A transfer shorter than this shows no progress in a terminal. */
  static final Duration IN_PLACE_DELAY = Duration.ofSeconds(2);
  /** How often a terminal's progress line is rewritten. */
  static final Duration IN_PLACE_EVERY = Duration.ofSeconds(1);

  private final Duration timeout;
  private final Duration progress;
  private final Reporter reporter;
  private final Ticker ticker;
  private volatile Runnable onStalled = () -> {};

  Transfers(LeaConfig config, Reporter reporter) {
    this(config, reporter, Ticker.SYSTEM);
  }

  Transfers(LeaConfig config, Reporter reporter, Ticker ticker) {
    this.timeout = positive(config, LeaSettings.TRANSFER_TIMEOUT);
    this.progress = positive(config, LeaSettings.TRANSFER_PROGRESS);
    this.reporter = reporter;
    this.ticker = ticker;
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

  <T> T run(String what, Meter meter, Transfer<T> transfer) throws IOException {
    FutureTask<T> task = new FutureTask<>(transfer::run);
    Thread thread = new Thread(task, "lea-transfer");
    thread.setDaemon(true);
    boolean inPlace = reporter.updatesInPlace();
    long every = (inPlace ? IN_PLACE_EVERY : progress).toNanos();
    long started = ticker.nanoTime();
    long deadline = started + timeout.toNanos();
    long nextReport = started + (inPlace ? IN_PLACE_DELAY.toNanos() : every);
    thread.start();
    try {
      while (true) {
        long now = ticker.nanoTime();
        if (deadline - now <= 0) {
          task.cancel(true);
          onStalled.run();
          throw new IOException("Cannot finish " + what + ": it took longer than "
              + LeaSettings.TRANSFER_TIMEOUT + " (" + timeout + "), so it was abandoned. Check"
              + " the connection to the store, or raise " + LeaSettings.TRANSFER_TIMEOUT
              + " for a very large catalog on a slow link.");
        }
        try {
          return ticker.await(task, Math.max(0, Math.min(deadline, nextReport) - now));
        } catch (TimeoutException stillRunning) {
          now = ticker.nanoTime();
          if (now - nextReport >= 0 && deadline - now > 0) {
            String line = line(what, meter, now - started);
            reporter.progress(inPlace ? line : line + " (gives up after " + timeout + ", "
                + LeaSettings.TRANSFER_TIMEOUT + ")");
            nextReport += every * (1 + (now - nextReport) / every);
          }
        }
      }
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while " + what);
    } catch (ExecutionException e) {
      throw Background.failure(e);
    } finally {
      reporter.progressDone();
    }
  }

  /**
   * {@code Still downloading catalog s3://b/k after 12.00 s: 48.0 MiB of 256.0 MiB (18%),
   * 4.0 MiB/s}; as much of it as the meter knows.
   */
  static String line(String what, Meter meter, long elapsedNanos) {
    StringBuilder line = new StringBuilder("Still ").append(what).append(" after ")
        .append(Sizes.seconds(elapsedNanos));
    long done = meter.done().getAsLong();
    long total = meter.total().getAsLong();
    if (done >= 0) {
      line.append(": ").append(Sizes.format(done));
      if (total > 0) {
        line.append(" of ").append(Sizes.format(total)).append(" (")
            .append(Math.min(100, done * 100 / total)).append("%)");
      }
      line.append(", ").append(String.format(Locale.ROOT, "%.1f MiB/s",
          done / (1024.0 * 1024.0) / (elapsedNanos / 1e9)));
    } else if (total >= 0) {
      line.append(" (").append(Sizes.format(total)).append(")");
    }
    return line.toString();
  }
}
