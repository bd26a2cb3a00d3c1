package dev.lea.transport;

import dev.lea.spi.LeaException;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Removes the chunks of a {@link ChunkedTransport} catalog that its current manifest no longer
 * references and that are older than a grace period.
 *
 * <p>Safe while a writer uploads: the chunks it writes are young; a chunk it found already stored
 * is either listed by the manifest it read, younger than an hour (the transport's reuse age), or
 * written again (which makes it young and changes its version, so a conditional delete of the
 * version listed here fails). The manifest is read again after listing, and the collection starts
 * over when a writer committed in between. Hence the grace period must be at least
 * {@link #MIN_GRACE}: the reuse age plus a wide margin for the longest upload.
 */
final class ChunkedGc {

  /** The shortest grace period that keeps concurrent uploads safe. */
  static final Duration MIN_GRACE = Duration.ofDays(1);

  private static final int ATTEMPTS = 5;

  private ChunkedGc() {}

  private record Snapshot(String version, Set<String> referenced) {}

  /**
   * Deletes the chunks under {@link ChunkedTransport#chunkPrefix(String)} of {@code catalogKey}
   * that the manifest does not reference and that were last written more than {@code grace} ago.
   * When the catalog is missing or was written by another transport no chunk is referenced. A
   * damaged manifest stops the collection before anything is deleted.
   *
   * @throws LeaException when {@code grace} is shorter than {@link #MIN_GRACE} or the store cannot
   *     list objects
   * @throws CatalogIntegrityException when the manifest is damaged
   */
  static GcResult collect(ObjectStore store, String catalogKey, Duration grace)
      throws IOException {
    if (grace.compareTo(MIN_GRACE) < 0) {
      throw LeaException.user("Cannot collect chunks of " + store.describe() + "/" + catalogKey
          + ": the grace period " + grace + " is shorter than " + MIN_GRACE + ", within which an"
          + " upload under way may still reference an unreferenced chunk. Use a grace period of"
          + " at least " + MIN_GRACE + ".");
    }
    return collect(store, catalogKey, grace, Clock.systemUTC());
  }

  /** Tests pass a clock to age chunks without waiting, and grace periods below the minimum. */
  static GcResult collect(ObjectStore store, String catalogKey, Duration grace, Clock clock)
      throws IOException {
    if (!store.supports(Capability.LIST)) {
      throw LeaException.user("Cannot collect chunks of " + store.describe() + "/" + catalogKey
          + ": the store cannot list objects.");
    }
    String prefix = ChunkedTransport.chunkPrefix(catalogKey);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Snapshot snapshot = snapshot(store, catalogKey);
      Instant cutoff = clock.instant().minus(grace);
      List<ObjectInfo> candidates = new ArrayList<>();
      int kept = 0;
      for (ObjectInfo chunk : store.list(prefix)) {
        String sha = chunk.key().substring(prefix.length());
        if (!ChunkManifest.isSha256(sha) || snapshot.referenced().contains(sha)) {
          continue;
        }
        if (chunk.lastModified() != null && chunk.lastModified().isBefore(cutoff)) {
          candidates.add(chunk);
        } else {
          kept++;
        }
      }
      String now = store.head(catalogKey).map(ObjectInfo::version).orElse(null);
      if (!Objects.equals(snapshot.version(), now)) {
        continue;
      }
      List<String> deleted = new ArrayList<>();
      long deletedBytes = 0;
      boolean conditional = store.supports(Capability.CONDITIONAL_DELETE);
      for (ObjectInfo chunk : candidates) {
        try {
          store.delete(chunk.key(),
              conditional ? Condition.ifMatch(chunk.version()) : Condition.none());
          deleted.add(chunk.key());
          deletedBytes += chunk.size();
        } catch (PreconditionFailedException rewritten) {
          kept++;
        }
      }
      return new GcResult(snapshot.referenced().size(), kept, deleted, deletedBytes);
    }
    throw LeaException.infrastructure("Cannot collect chunks of " + store.describe() + "/"
        + catalogKey + ": the catalog changed during each of " + ATTEMPTS + " attempts, so"
        + " nothing was deleted. Run the collection again when no writer is busy.");
  }

  private static Snapshot snapshot(ObjectStore store, String catalogKey) throws IOException {
    try (ReadResult read = store.read(catalogKey, null)) {
      if (read.status() != ReadResult.Status.FOUND) {
        return new Snapshot(null, Set.of());
      }
      ObjectInfo info = read.info();
      if (!ChunkedTransport.NAME.equals(info.metadata().get(CatalogMetadata.TRANSPORT))) {
        return new Snapshot(info.version(), Set.of());
      }
      ChunkManifest manifest = ChunkManifest.parse(store, info, read.content().readAllBytes());
      Set<String> referenced = new HashSet<>();
      manifest.chunks().forEach(c -> referenced.add(c.sha256()));
      return new Snapshot(info.version(), referenced);
    }
  }
}
