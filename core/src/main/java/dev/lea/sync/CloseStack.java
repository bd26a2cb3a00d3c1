package dev.lea.sync;

import dev.lea.spi.Reporter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The resources a session holds, released in the reverse order they were taken. A release that
 * fails is reported and the next one still runs: a store that cannot be closed must not keep the
 * lock held or the work directory's catalog unaccounted for.
 */
final class CloseStack implements AutoCloseable {

  /** One resource's release. */
  @FunctionalInterface
  interface Release {
    void run() throws Exception;
  }

  private record Entry(String what, Release release) {}

  private final Reporter reporter;
  private final Deque<Entry> entries = new ArrayDeque<>();

  CloseStack(Reporter reporter) {
    this.reporter = reporter;
  }

  synchronized void push(String what, Release release) {
    entries.push(new Entry(what, release));
  }

  /**
   * Two releases that do not depend on each other, run side by side when their turn comes: each
   * waits on its own disk or store, so together they take as long as the slower one. Both have
   * finished when the release returns.
   */
  void pushTogether(String what, Release release, String other, Release otherRelease) {
    push(what + " and " + other, () -> {
      FutureTask<Void> side = new FutureTask<>(() -> {
        runReporting(other, otherRelease);
        return null;
      });
      Thread thread = new Thread(side, "lea-release " + other);
      thread.setDaemon(true);
      thread.start();
      try {
        runReporting(what, release);
      } finally {
        awaitUninterruptibly(side);
      }
    });
  }

  private void runReporting(String what, Release release) {
    try {
      release.run();
    } catch (Exception e) {
      reporter.warn("Could not release " + what + ": " + e.getMessage());
    }
  }

  /** A release cut short would leave a lock held or a catalog unaccounted for. */
  private static void awaitUninterruptibly(FutureTask<Void> task) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          task.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          // runReporting reports every failure of a release itself; only an Error gets here.
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          return;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    while (true) {
      Entry entry;
      synchronized (this) {
        entry = entries.poll();
      }
      if (entry == null) {
        return;
      }
      runReporting(entry.what(), entry.release());
    }
  }
}
