package dev.lea.spi;

import java.io.PrintStream;

/**
 * A reporter for a terminal: progress rewrites one line with {@code \r}, and any other message,
 * or the end of the transfer, first ends that line so nothing is glued to it.
 */
final class InPlaceReporter implements Reporter {

  private final Reporter delegate;
  private final PrintStream out;
  private final String prefix;
  private int shown = -1;

  InPlaceReporter(Reporter delegate, PrintStream out, String prefix) {
    this.delegate = delegate;
    this.out = out;
    this.prefix = prefix;
  }

  @Override
  public synchronized void info(String message) {
    progressDone();
    delegate.info(message);
  }

  @Override
  public synchronized void warn(String message) {
    progressDone();
    delegate.warn(message);
  }

  @Override
  public synchronized void debug(String message) {
    delegate.debug(message);
  }

  @Override
  public synchronized void progress(String line) {
    String text = prefix + line;
    // A shorter line than the last leaves the last one's tail on screen unless overwritten.
    out.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
    out.flush();
    shown = text.length();
  }

  @Override
  public synchronized void progressDone() {
    if (shown >= 0) {
      out.println();
      out.flush();
      shown = -1;
    }
  }

  @Override
  public boolean updatesInPlace() {
    return true;
  }
}
