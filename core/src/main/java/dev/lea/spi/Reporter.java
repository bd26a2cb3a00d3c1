package dev.lea.spi;

import java.io.PrintStream;

/**
 * Where progress goes: the Maven log, a console, a test. Messages never contain secrets:
 * {@code dev.lea.Lea} hands its work a reporter wrapped by its
 * {@code Scrubber}.
 */
public interface Reporter {

  void info(String message);

  void warn(String message);

  default void debug(String message) {}

  /**
   * A long transfer's progress: rewritten in place when {@link #updatesInPlace()}, else printed
   * as a line of its own.
   */
  default void progress(String line) {
    info(line);
  }

  /** Ends an in-place progress line, so that later output starts on a line of its own. */
  default void progressDone() {}

  /**
   * Whether {@link #progress} rewrites one terminal line (and so may be called every second)
   * rather than adding a line to a log (every {@code lea.transfer.progress}).
   */
  default boolean updatesInPlace() {
    return false;
  }

  /**
   * {@code reporter}, with progress rewriting one line of {@code out} (a terminal) after
   * {@code prefix}.
   */
  static Reporter inPlace(Reporter reporter, PrintStream out, String prefix) {
    return new InPlaceReporter(reporter, out, prefix);
  }

  /**
   * Prints to standard output and error; for command-line use and examples. Progress updates
   * one line when the JVM has a console (a terminal, not a pipe or a CI log).
   */
  static Reporter console() {
    return console(System.out, System.err, System.console() != null);
  }

  /** Prints to {@code out} and {@code err}; progress in place when {@code terminal}. */
  static Reporter console(PrintStream out, PrintStream err, boolean terminal) {
    Reporter lines = new Reporter() {
      @Override
      public void info(String message) {
        out.println(message);
      }

      @Override
      public void warn(String message) {
        err.println("WARNING: " + message);
      }
    };
    return terminal ? inPlace(lines, out, "") : lines;
  }

  /** Discards everything. */
  static Reporter silent() {
    return new Reporter() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}
    };
  }
}
