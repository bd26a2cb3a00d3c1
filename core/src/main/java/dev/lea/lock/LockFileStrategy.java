package dev.lea.lock;

import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code lock-file}: an object {@code .lea/locks/<catalog name>.lock} beside the catalog (see
 * {@link LockFiles}), created only if absent, names the run
 * that holds the catalog until it expires; a heartbeat renews it while the run lasts. An expired
 * lock is taken over by a write conditioned on its exact version, so of two runs taking over the
 * same expired lock exactly one wins.
 */
final class LockFileStrategy implements LockStrategy {

  private static final Duration FIRST_POLL = Duration.ofMillis(100);
  private static final Duration MAX_POLL = Duration.ofSeconds(2);

  private final Clock clock;

  LockFileStrategy() {
    this(Clock.systemUTC());
  }

  /** With a clock for expiry and renewal times, so tests can move time forward. */
  LockFileStrategy(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "lock-file";
  }

  @Override
  public CatalogLock acquire(LockRequest request) throws IOException {
    ObjectStore store = request.store();
    LockFiles.refuseReserved(store, request.catalogKey());
    String key = LockFiles.lockKey(request.catalogKey());
    String where = LockFiles.where(store, key);
    Duration ttl = request.config().duration(LeaSettings.LOCK_TTL);
    if (ttl.isZero() || ttl.isNegative()) {
      throw LeaException.user("Cannot take the lock on " + where + ": " + LeaSettings.LOCK_TTL
          + " is " + ttl + ". Set a positive duration such as PT2M.");
    }
    if (!store.supports(Capability.ATOMIC_IF_ABSENT)) {
      throw LeaException.user("Cannot take the lock on " + where + ": the store cannot create an"
          + " object only if it is absent in one atomic step, so a lock file would not keep"
          + " writers apart. Use lea.ducklake.lock=conditional-write instead.");
    }
    Duration wait = request.config().duration(LeaSettings.LOCK_WAIT);
    Instant deadline = clock.instant().plus(wait);
    Duration poll = FIRST_POLL;
    boolean announced = false;
    while (true) {
      Optional<LockInfo> created = create(request, key, ttl);
      if (created.isPresent()) {
        return held(request, key, created.get(), ttl);
      }
      Optional<LockInfo> current = LockFiles.read(store, key);
      if (current.isEmpty()) {
        continue;
      }
      LockInfo holder = current.get();
      Instant now = clock.instant();
      if (holder.id().equals(request.runId())) {
        // An earlier create of ours succeeded but its answer was lost: the lock is already ours.
        Optional<LockInfo> adopted = replace(request, key, holder, holder.created(), ttl);
        if (adopted.isPresent()) {
          return held(request, key, adopted.get(), ttl);
        }
        continue;
      }
      if (!holder.isUnreadable() && holder.isExpired(now)) {
        Optional<LockInfo> taken = replace(request, key, holder, now, ttl);
        if (taken.isPresent()) {
          request.reporter().warn("Took over the expired lock on " + where + " from "
              + LockFiles.describe(holder) + ".");
          return held(request, key, taken.get(), ttl);
        }
        continue;
      }
      if (!now.isBefore(deadline)) {
        throw new LockHeldException(heldMessage(where, holder, wait), holder);
      }
      if (!announced) {
        request.reporter().info("Waiting up to " + wait + " for the lock on " + where
            + ", held by " + LockFiles.describe(holder) + ".");
        announced = true;
      }
      pause(min(poll, Duration.between(now, deadline), Duration.between(now, holder.expires())));
      poll = poll.multipliedBy(2).compareTo(MAX_POLL) < 0 ? poll.multipliedBy(2) : MAX_POLL;
    }
  }

  @Override
  public Optional<LockInfo> inspect(ObjectStore store, String catalogKey) throws IOException {
    return LockFiles.inspect(store, catalogKey);
  }

  @Override
  public LockInfo breakLock(ObjectStore store, String catalogKey, String id) throws IOException {
    return LockFiles.breakLock(store, catalogKey, id);
  }

  private Optional<LockInfo> create(LockRequest request, String key, Duration ttl)
      throws IOException {
    Instant now = now();
    LockInfo mine = body(request, now, now.plus(ttl));
    try {
      return Optional.of(LockFiles.write(request.store(), key, mine, Condition.ifAbsent()));
    } catch (PreconditionFailedException e) {
      return Optional.empty();
    } catch (IOException e) {
      // The write may have landed with only its answer lost; the caller then finds our own id.
      Optional<LockInfo> current;
      try {
        current = LockFiles.read(request.store(), key);
      } catch (IOException again) {
        e.addSuppressed(again);
        throw e;
      }
      if (current.isPresent() && current.get().id().equals(request.runId())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Writes our lock over {@code holder}'s exact version; empty when it changed meanwhile. */
  private Optional<LockInfo> replace(
      LockRequest request, String key, LockInfo holder, Instant created, Duration ttl)
      throws IOException {
    LockInfo mine = body(request, created, now().plus(ttl));
    try {
      return Optional.of(LockFiles.write(
          request.store(), key, mine, Condition.ifMatch(holder.objectVersion())));
    } catch (PreconditionFailedException e) {
      return Optional.empty();
    }
  }

  private CatalogLock held(LockRequest request, String key, LockInfo lock, Duration ttl) {
    return new LockFileLock(request.store(), key, lock, ttl, clock, request.reporter());
  }

  private LockInfo body(LockRequest request, Instant created, Instant expires) {
    return new LockInfo(request.runId(), Host.WHO, ProcessHandle.current().pid(),
        request.operation(), created, expires, Host.LEA_VERSION, null);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String heldMessage(String where, LockInfo holder, Duration waited) {
    String after = waited.isZero() ? "" : " (waited " + waited + ")";
    if (holder.isUnreadable()) {
      return "Cannot take the lock on " + where + after + ": the object there is not a lock lea"
          + " wrote (" + LockFiles.problem(holder) + ", written " + holder.created() + "); lea did"
          + " not write it, so it will not delete it. " + LockFiles.MANUAL;
    }
    return "Cannot take the lock on " + where + after + ": it is held by "
        + LockFiles.describe(holder) + ". Wait for that run to finish, or set "
        + LeaSettings.LOCK_WAIT + " to wait for it. If that run is dead, break the lock with: "
        + holder.unlockCommand();
  }

  private static Duration min(Duration a, Duration b, Duration c) {
    Duration least = a.compareTo(b) <= 0 ? a : b;
    return least.compareTo(c) <= 0 ? least : c;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LeaException.run("Cannot take the lock: interrupted while waiting for it.", e);
    }
  }

  /** Who writes lock bodies; computed once, since the host name may need a DNS lookup. */
  private static final class Host {
    static final String WHO = System.getProperty("user.name", "unknown") + "@" + hostName();
    static final String LEA_VERSION = leaVersion();

    private static String hostName() {
      for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
          return value.trim();
        }
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "unknown-host";
      }
    }

    private static String leaVersion() {
      String version = LockFileStrategy.class.getPackage().getImplementationVersion();
      return version == null || version.isBlank() ? "dev" : version;
    }
  }
}
