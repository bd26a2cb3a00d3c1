package dev.lea.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The byte count a store's {@code put} adds to, keeping every increment, to see that the count
 * grows as the upload goes rather than all at once at the end.
 */
public final class Increments extends LongAdder {

  private final List<Long> added = new CopyOnWriteArrayList<>();

  @Override
  public void add(long x) {
    added.add(x);
    super.add(x);
  }

  /** Each increment, in the order it came. */
  public List<Long> added() {
    return added;
  }
}
