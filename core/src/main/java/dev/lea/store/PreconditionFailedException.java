package dev.lea.store;

import java.io.IOException;

/**
 * A conditional write or delete was refused because the object was not in the expected state.
 * Never used for other I/O failures.
 */
public class PreconditionFailedException extends IOException {

  private final String key;
  private final Condition condition;

  public PreconditionFailedException(String key, Condition condition) {
    super("Precondition " + condition + " failed for key '" + key + "'");
    this.key = key;
    this.condition = condition;
  }

  public String key() {
    return key;
  }

  public Condition condition() {
    return condition;
  }
}
