package dev.lea.spi;

/**
 * Where progress goes: the Maven log, a console, a test. Messages never contain secrets:
 * {@code dev.lea.Lea} hands its work a reporter wrapped by its
 * {@code Scrubber}.
 */
public interface Reporter {

  void info(String message);

  void warn(String message);

  default void debug(String message) {}

  /** Prints to standard output and error; for command-line use and examples. */
  static Reporter console() {
    return new Reporter() {
      @Override
      public void info(String message) {
        System.out.println(message);
      }

      @Override
      public void warn(String message) {
        System.err.println("WARNING: " + message);
      }
    };
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
