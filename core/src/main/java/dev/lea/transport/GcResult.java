package dev.lea.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * What a garbage collection did ({@link CatalogTransport#collectGarbage}).
 *
 * @param referenced objects the current catalog references (kept)
 * @param keptWithinGrace unreferenced objects kept because they are younger than the grace period
 *     or were rewritten while collecting
 * @param deleted keys of the objects deleted
 * @param deletedBytes stored bytes of the objects deleted
 */
public record GcResult(int referenced, int keptWithinGrace, List<String> deleted,
    long deletedBytes) {

  /** A collection by a transport that leaves nothing behind. */
  public static final GcResult NOTHING = new GcResult(0, 0, List.of(), 0);

  public GcResult {
    deleted = List.copyOf(deleted);
  }

  /** Both collections' counts together. */
  GcResult plus(GcResult other) {
    List<String> both = new ArrayList<>(deleted);
    both.addAll(other.deleted);
    return new GcResult(referenced + other.referenced, keptWithinGrace + other.keptWithinGrace,
        both, deletedBytes + other.deletedBytes);
  }
}
