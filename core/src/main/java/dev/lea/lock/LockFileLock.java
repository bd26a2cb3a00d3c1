package dev.lea.lock;

import dev.lea.spi.Reporter;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A held {@code lock-file} lock. A daemon heartbeat renews its expiry every third of the TTL by a
 * write conditioned on the version it last wrote; when that fails because the lock was deleted or
 * taken over, the lock is lost and the run is told so. Renewal, inspection and release are
 * serialised on this object.
 */
final class LockFileLock implements CatalogLock {

  private static final int RELEASE_ATTEMPTS = 3;

  private final ObjectStore store;
  private final String key;
  private final String where;
  private final Duration ttl;
  private final Clock clock;
  private final Reporter reporter;
  private final ScheduledExecutorService heartbeat;
  private LockInfo current;
  private boolean lost;
  private boolean closed;

  LockFileLock(ObjectStore store, String key, LockInfo lock, Duration ttl, Clock clock,
      Reporter reporter) {
    this.store = store;
    this.key = key;
    this.where = LockFiles.where(store, key);
    this.ttl = ttl;
    this.clock = clock;
    this.reporter = reporter;
    this.current = lock;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "lea-lock-heartbeat " + key);
      thread.setDaemon(true);
      return thread;
    });
    long period = Math.max(1, ttl.toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public Condition fence(String versionAtDownload) {
    return FencedLock.fenceFor(versionAtDownload);
  }

  @Override
  public synchronized Optional<LockInfo> info() {
    return closed || lost ? Optional.empty() : Optional.of(current);
  }

  @Override
  public synchronized boolean isHeld() {
    return !closed && !lost;
  }

  @Override
  public synchronized boolean confirm() {
    renew();
    return isHeld();
  }

  @Override
  public synchronized void abandon() {
    closed = true;
    heartbeat.shutdown();
  }

  /** One heartbeat; never throws, since a throwing task would silently stop the schedule. */
  synchronized void renew() {
    if (closed || lost) {
      return;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    LockInfo renewed = new LockInfo(current.id(), current.who(), current.pid(),
        current.operation(), current.created(), now.plus(ttl), current.version(), null);
    try {
      current = LockFiles.write(store, key, renewed, Condition.ifMatch(current.objectVersion()));
    } catch (PreconditionFailedException e) {
      recheck();
    } catch (IOException | RuntimeException e) {
      reporter.warn("Could not renew the lock on " + where + ": " + e.getMessage()
          + ". Retrying; unless renewed it expires at " + current.expires() + ".");
    }
  }

  private void recheck() {
    Optional<LockInfo> found;
    try {
      found = LockFiles.read(store, key);
    } catch (IOException | RuntimeException e) {
      reporter.warn("Could not check the lock on " + where + " after a failed renewal: "
          + e.getMessage() + ". Retrying.");
      return;
    }
    if (found.isPresent() && found.get().id().equals(current.id())) {
      // A renewal of ours landed but its answer was lost; continue from the version it wrote.
      current = found.get();
      return;
    }
    lost = true;
    heartbeat.shutdown();
    reporter.warn("Lost the lock on " + where + ": " + (found.isEmpty()
        ? "it was deleted (by lea:unlock, or by a run that found it expired)"
        : "it was taken over by " + LockFiles.describe(found.get()))
        + ". The catalog upload of this run is fenced, so it cannot overwrite a newer catalog.");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdown();
    if (!lost) {
      release();
    }
  }

  private void release() {
    try {
      for (int attempt = 0; attempt < RELEASE_ATTEMPTS; attempt++) {
        if (!store.supports(Capability.CONDITIONAL_DELETE)) {
          Optional<LockInfo> found = LockFiles.read(store, key);
          if (found.isPresent() && found.get().id().equals(current.id())) {
            store.delete(key, Condition.none());
          } else {
            leftInPlace(found);
          }
          return;
        }
        try {
          store.delete(key, Condition.ifMatch(current.objectVersion()));
          return;
        } catch (PreconditionFailedException e) {
          Optional<LockInfo> found = LockFiles.read(store, key);
          if (found.isEmpty() || !found.get().id().equals(current.id())) {
            leftInPlace(found);
            return;
          }
          current = found.get();
        }
      }
      reporter.warn("Could not release the lock on " + where + ": it kept changing. To remove"
          + " it run: " + current.unlockCommand());
    } catch (IOException | RuntimeException e) {
      reporter.warn("Could not release the lock on " + where + ": " + e.getMessage()
          + ". It expires at " + current.expires() + "; to remove it now run: "
          + current.unlockCommand());
    }
  }

  private void leftInPlace(Optional<LockInfo> found) {
    if (found.isPresent()) {
      reporter.warn("Did not release the lock on " + where + ": it is no longer ours but held by "
          + LockFiles.describe(found.get()) + ", so it was left in place.");
    }
  }
}
