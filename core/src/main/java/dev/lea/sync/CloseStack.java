package dev.lea.sync;

import dev.lea.spi.Reporter;
import java.util.ArrayDeque;
import java.util.Deque;

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
      try {
        entry.release().run();
      } catch (Exception e) {
        reporter.warn("Could not release " + entry.what() + ": " + e.getMessage());
      }
    }
  }
}
