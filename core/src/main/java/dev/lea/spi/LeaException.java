package dev.lea.spi;

/**
 * The one exception type front-ends catch. Its message is written for a person: {@code Cannot
 * <verb> <thing>: <reason>}, followed by what to do. {@link #kind()} tells a front-end whose fault
 * it is, so Maven can answer with a build failure (the user's) or an execution error (ours or the
 * infrastructure's).
 */
public class LeaException extends RuntimeException {

  /** Whose fault a failure is. */
  public enum Kind {
    /** Bad input: configuration, URLs, names, a script that does not compile. */
    USER,
    /** The work itself failed: a script or assertion failed, or a concurrent writer won. */
    RUN,
    /** The store, the network or the machine failed. */
    INFRASTRUCTURE
  }

  private final Kind kind;

  public LeaException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public LeaException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static LeaException user(String message) {
    return new LeaException(Kind.USER, message);
  }

  public static LeaException user(String message, Throwable cause) {
    return new LeaException(Kind.USER, message, cause);
  }

  public static LeaException run(String message, Throwable cause) {
    return new LeaException(Kind.RUN, message, cause);
  }

  public static LeaException infrastructure(String message) {
    return new LeaException(Kind.INFRASTRUCTURE, message);
  }

  public static LeaException infrastructure(String message, Throwable cause) {
    return new LeaException(Kind.INFRASTRUCTURE, message, cause);
  }
}
