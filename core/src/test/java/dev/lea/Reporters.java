package dev.lea;

import dev.lea.spi.Reporter;
import java.util.List;
import java.util.function.Consumer;

/** Reporters for tests: what a run reports goes where the test can look at it. */
public final class Reporters {

  private Reporters() {}

  public static Reporter of(Consumer<String> info, Consumer<String> warn) {
    return of(info, warn, message -> { });
  }

  public static Reporter of(Consumer<String> info, Consumer<String> warn, Consumer<String> debug) {
    return new Reporter() {
      @Override
      public void info(String message) {
        info.accept(message);
      }

      @Override
      public void warn(String message) {
        warn.accept(message);
      }

      @Override
      public void debug(String message) {
        debug.accept(message);
      }
    };
  }

  /** For a child JVM its parent reads: each message a line on stdout, {@code INFO } or {@code WARN } first. */
  public static Reporter printing() {
    return of(message -> print("INFO " + message), message -> print("WARN " + message));
  }

  /** A whole line at once, even from several threads. */
  public static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Infos and warnings alike, in the order they came. */
  public static Reporter collecting(List<String> messages) {
    return of(messages::add, messages::add);
  }

  /** Infos and warnings in the order they came, each warning marked {@code WARN }. */
  public static Reporter collectingMarked(List<String> messages) {
    return of(messages::add, message -> messages.add("WARN " + message));
  }

  /** Every level, debug included, in the order they came: for tests that no message may leak from. */
  public static Reporter collectingEveryLevel(List<String> messages) {
    return of(messages::add, messages::add, messages::add);
  }
}
