package dev.lea.lock;

import dev.lea.spi.Reporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Keeps what was reported and lets a test wait until a message arrives. */
final class RecordingReporter implements Reporter {

  private final List<String> infos = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    infos.add(message);
    notifyAll();
  }

  @Override
  public synchronized void warn(String message) {
    warnings.add(message);
    notifyAll();
  }

  synchronized List<String> infos() {
    return List.copyOf(infos);
  }

  synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Waits until an info message contains {@code fragment}; false when the timeout ran out. */
  synchronized boolean awaitInfo(String fragment, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (infos.stream().noneMatch(m -> m.contains(fragment))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
