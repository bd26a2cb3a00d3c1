package dev.lea.lock;

import dev.lea.spi.LeaException;

/** A live lock held by someone else; the message names the holder and how to break it. */
public class LockHeldException extends LeaException {

  private final LockInfo holder;

  public LockHeldException(String message, LockInfo holder) {
    super(Kind.RUN, message);
    this.holder = holder;
  }

  public LockInfo holder() {
    return holder;
  }
}
