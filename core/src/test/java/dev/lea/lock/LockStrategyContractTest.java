package dev.lea.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import dev.lea.testing.Race;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every lock strategy does on a store; extend it with the store to test by answering
 * {@link #newStore()}. Strategies shared by all are parameterised by name; the {@code lock-file}
 * tests use a clock the test moves forward instead of waiting for expiry. Keys live under a fresh
 * prefix per test, so a store may be shared by tests.
 */
public abstract class LockStrategyContractTest {

  private static final Duration AWAIT = Duration.ofSeconds(15);
  private static final int RACERS = 8;

  @TempDir
  Path projectDirectory;

  private ObjectStore store;
  private String catalogKey;
  private OffsetClock clock;
  private RecordingReporter reporter;
  private final List<CatalogLock> locks = new ArrayList<>();

  /** A store to test; closed after each test. */
  protected abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    catalogKey = "locks-" + UUID.randomUUID().toString().substring(0, 8) + "/catalog.sqlite";
    clock = new OffsetClock();
    reporter = new RecordingReporter();
  }

  @AfterEach
  void close() throws Exception {
    locks.forEach(CatalogLock::close);
    store.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "lock-file", "conditional-write"})
  void acquiresAndReleasesIdempotently(String strategy) throws IOException {
    CatalogLock lock = acquire(strategy, "run-a", config());

    assertThat(lock.isHeld()).isTrue();
    assertThat(LockFiles.inspect(store, catalogKey).isPresent())
        .isEqualTo(strategy.equals("lock-file"));
    assertThat(lock.info().map(LockInfo::id))
        .isEqualTo(strategy.equals("lock-file") ? Optional.of("run-a")
            : Optional.empty());
    lock.close();
    lock.close();

    assertThat(lock.isHeld()).isFalse();
    assertThat(lock.info()).isEmpty();
    assertThat(LockFiles.inspect(store, catalogKey)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "lock-file", "conditional-write"})
  void fencesTheUploadUnlessTheStrategyIsNone(String strategy) throws IOException {
    String seen = write(catalogKey, "downloaded", Condition.none()).version();
    CatalogLock lock = acquire(strategy, "run-a", config());
    boolean fenced = !strategy.equals("none");

    assertThat(lock.fence(seen)).isEqualTo(fenced ? Condition.ifMatch(seen) : Condition.none());
    assertThat(lock.fence(null)).isEqualTo(fenced ? Condition.ifAbsent() : Condition.none());

    write(catalogKey, "a concurrent writer's catalog", Condition.none());
    if (fenced) {
      assertThatThrownBy(() -> write(catalogKey, "ours", lock.fence(seen)))
          .isInstanceOf(PreconditionFailedException.class);
      assertThat(read(catalogKey)).isEqualTo("a concurrent writer's catalog");
    } else {
      write(catalogKey, "ours", lock.fence(seen));
      assertThat(read(catalogKey)).isEqualTo("ours");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lock-file", "conditional-write"})
  void aFreshStartCannotOverwriteACatalogCreatedMeanwhile(String strategy) throws IOException {
    CatalogLock lock = acquire(strategy, "run-a", config());
    write(catalogKey, "created by another run", Condition.ifAbsent());

    assertThatThrownBy(() -> write(catalogKey, "ours", lock.fence(null)))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(read(catalogKey)).isEqualTo("created by another run");
  }

  @Test
  void noneWarnsThatTheLastWriterWins() throws IOException {
    acquire("none", "run-a", config());

    assertThat(reporter.warnings()).singleElement().asString()
        .contains("last writer wins").contains(catalogKey);
  }

  @Test
  void lockFileBodyNamesTheHolder() throws IOException {
    // A long TTL, so no renewal changes the body while it is checked.
    CatalogLock lock = lockFile("run-a", config().with(LeaSettings.LOCK_TTL, "PT30S"));

    LockInfo info = LockFiles.inspect(store, catalogKey).orElseThrow();
    assertThat(info.id()).isEqualTo("run-a");
    assertThat(info.who()).startsWith(System.getProperty("user.name") + "@");
    assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.operation()).isEqualTo("run");
    assertThat(info.version()).isNotBlank();
    assertThat(Duration.between(info.created(), info.expires())).isEqualTo(Duration.ofSeconds(30));
    assertThat(info.objectVersion()).isEqualTo(head(LockFiles.lockKey(catalogKey)).version());
    assertThat(lock.info().orElseThrow().id()).isEqualTo("run-a");
  }

  @Test
  void aSecondRunFailsFastNamingTheHolderAndHowToBreakIt() throws IOException {
    CatalogLock first = lockFile("run-a", config());
    LockInfo holder = first.info().orElseThrow();

    assertThatThrownBy(() -> lockFile("run-b", config()))
        .isInstanceOfSatisfying(LockHeldException.class, e -> {
          assertThat(e.holder().id()).isEqualTo("run-a");
          assertThat(e.kind()).isEqualTo(LeaException.Kind.RUN);
        })
        .hasMessageStartingWith("Cannot take the lock on ")
        .hasMessageContaining(LockFiles.lockKey(catalogKey))
        .hasMessageContaining(holder.who())
        .hasMessageContaining("pid " + holder.pid())
        .hasMessageContaining("operation run")
        .hasMessageContaining(holder.created().toString())
        .hasMessageContaining("expires")
        .hasMessageContaining("id run-a")
        .hasMessageContaining("mvn lea:unlock -Dlea.unlockId=run-a");
    assertThat(first.isHeld()).isTrue();
    assertThat(LockFiles.inspect(store, catalogKey).orElseThrow().id()).isEqualTo("run-a");
  }

  @Test
  void racingRunsOnAFreeLockHaveExactlyOneWinner() throws Exception {
    List<Object> outcomes = race(i -> lockFile("racer-" + i, config()));

    List<CatalogLock> winners = winners(outcomes);
    assertThat(winners).hasSize(1);
    String winner = winners.get(0).info().orElseThrow().id();
    assertThat(outcomes).filteredOn(o -> !(o instanceof CatalogLock)).allSatisfy(o ->
        assertThat(o).isInstanceOfSatisfying(LockHeldException.class,
            e -> assertThat(e.holder().id()).isEqualTo(winner)));
  }

  @Test
  void waitsForTheHolderAndTakesTheLockWhenReleased() throws Exception {
    CatalogLock first = lockFile("run-a", config());
    ExecutorService second = Executors.newSingleThreadExecutor();
    try {
      Future<CatalogLock> waiting = second.submit(
          () -> lockFile("run-b", config().with(LeaSettings.LOCK_WAIT, "PT60S")));

      assertThat(reporter.awaitInfo("Waiting up to PT1M for the lock", AWAIT)).isTrue();
      assertThat(reporter.infos()).anySatisfy(m -> assertThat(m).contains("id run-a"));
      assertThat(waiting).isNotDone();
      first.close();

      CatalogLock taken = waiting.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(taken.info().orElseThrow().id()).isEqualTo("run-b");
      assertThat(LockFiles.inspect(store, catalogKey).orElseThrow().id()).isEqualTo("run-b");
    } finally {
      second.shutdownNow();
    }
  }

  @Test
  void givesUpWhenTheWaitRunsOut() throws IOException {
    lockFile("run-a", config());

    assertThatThrownBy(() -> lockFile("run-b", config().with(LeaSettings.LOCK_WAIT, "PT0.3S")))
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("(waited PT0.3S)")
        .hasMessageContaining("id run-a");
  }

  @Test
  void takesOverAnExpiredLock() throws IOException {
    LockInfo dead = writeLock("dead-run", clock.instant().minusSeconds(5), Condition.ifAbsent());

    CatalogLock lock = lockFile("run-a", config());

    assertThat(lock.info().orElseThrow().id()).isEqualTo("run-a");
    assertThat(LockFiles.inspect(store, catalogKey).orElseThrow().id()).isEqualTo("run-a");
    assertThat(reporter.warnings()).anySatisfy(m -> assertThat(m)
        .contains("Took over the expired lock").contains("id dead-run")
        .contains(dead.expires().toString()));
  }

  @Test
  void ofRunsTakingOverOneExpiredLockExactlyOneWins() throws Exception {
    assumeThat(store.supports(Capability.ATOMIC_IF_MATCH))
        .as(store.describe() + " does not claim ATOMIC_IF_MATCH, so two takeovers of one"
            + " expired lock may both succeed").isTrue();
    writeLock("dead-run", clock.instant().minusSeconds(5), Condition.ifAbsent());

    List<Object> outcomes = race(i -> lockFile("racer-" + i, config()));

    List<CatalogLock> winners = winners(outcomes);
    assertThat(winners).hasSize(1);
    String winner = winners.get(0).info().orElseThrow().id();
    assertThat(LockFiles.inspect(store, catalogKey).orElseThrow().id()).isEqualTo(winner);
    assertThat(outcomes).filteredOn(o -> !(o instanceof CatalogLock)).allSatisfy(o ->
        assertThat(o).isInstanceOfSatisfying(LockHeldException.class,
            e -> assertThat(e.holder().id()).isEqualTo(winner)));
  }

  @Test
  void recognisesItsOwnLockWhenACreateAnswerWasLost() throws IOException {
    writeLock("run-a", clock.instant().plusSeconds(30), Condition.ifAbsent());

    CatalogLock lock = lockFile("run-a", config());

    assertThat(lock.isHeld()).isTrue();
    LockInfo stored = LockFiles.inspect(store, catalogKey).orElseThrow();
    assertThat(stored.id()).isEqualTo("run-a");
    assertThat(lock.info().orElseThrow().objectVersion()).isEqualTo(stored.objectVersion());
    lock.close();
    assertThat(LockFiles.inspect(store, catalogKey)).isEmpty();
  }

  @Test
  void releaseNeverDeletesSomeoneElsesLock() throws IOException {
    CatalogLock lock = lockFile("run-a", config());
    LockInfo mine = lock.info().orElseThrow();
    // As if this run stalled past its expiry and another run took the lock over.
    writeLock("run-b", clock.instant().plusSeconds(60), Condition.ifMatch(mine.objectVersion()));

    lock.close();

    assertThat(LockFiles.inspect(store, catalogKey).orElseThrow().id()).isEqualTo("run-b");
    assertThat(reporter.warnings()).anySatisfy(m -> assertThat(m).contains("id run-b"));
  }

  @Test
  void heartbeatKeepsTheLockAlivePastItsTtl() throws IOException {
    LeaConfig config = config().with(LeaSettings.LOCK_TTL, "PT2S");
    CatalogLock lock = lockFile("run-a", config);
    Instant firstExpiry = lock.info().orElseThrow().expires();

    clock.advance(Duration.ofSeconds(5));
    await("the heartbeat renews the lock after the clock moved past its expiry",
        () -> LockFiles.inspect(store, catalogKey).orElseThrow().expires()
            .isAfter(clock.instant()));

    assertThat(clock.instant()).isAfter(firstExpiry);
    assertThat(lock.isHeld()).isTrue();
    assertThatThrownBy(() -> lockFile("run-b", config))
        .isInstanceOf(LockHeldException.class).hasMessageContaining("id run-a");
  }

  @Test
  void heartbeatNoticesALostLock() throws IOException {
    CatalogLock lock = lockFile("run-a", config());

    LockFiles.breakLock(store, catalogKey, "run-a");
    CatalogLock next = lockFile("run-b", config());
    await("the heartbeat notices the lock is gone", () -> !lock.isHeld());

    assertThat(reporter.warnings()).anySatisfy(m -> assertThat(m)
        .startsWith("Lost the lock on ").contains("fenced"));
    assertThat(lock.fence("v1")).isEqualTo(Condition.ifMatch("v1"));
    lock.close();
    assertThat(LockFiles.inspect(store, catalogKey).orElseThrow().id()).isEqualTo("run-b");
    assertThat(next.isHeld()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[1, 2]", "{\"who\": \"nobody\"}", "{\"id\": \"x\"}",
      "huge"})
  void anUnreadableLockBlocksAndIsLeftForAPersonToRemove(String body) throws IOException {
    byte[] bytes = body.equals("huge") ? new byte[70 * 1024]
        : body.getBytes(StandardCharsets.UTF_8);
    store.put(LockFiles.lockKey(catalogKey), new ByteArrayInputStream(bytes), bytes.length,
        Map.of(), Condition.ifAbsent());

    LockInfo unknown = LockFiles.inspect(store, catalogKey).orElseThrow();
    assertThat(unknown.id()).startsWith("unreadable-");
    assertThat(unknown.who()).startsWith("unknown (the lock object ");
    assertThatThrownBy(() -> lockFile("run-a", config()))
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("is not a lock lea wrote (the lock object")
        .hasMessageNotContaining("lea:unlock");
    assertThatThrownBy(() -> LockFiles.breakLock(store, catalogKey, unknown.id()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("so lea will not delete it");
    assertThat(LockFiles.inspect(store, catalogKey)).contains(unknown);

    store.delete(LockFiles.lockKey(catalogKey), Condition.none());
    assertThat(lockFile("run-a", config()).isHeld()).isTrue();
  }

  @Test
  void breakLockRemovesOnlyTheNamedLock() throws IOException {
    assertThatThrownBy(() -> LockFiles.breakLock(store, catalogKey, "run-a"))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessageStartingWith("Cannot break the lock on ")
        .hasMessageContaining("there is no lock");
    lockFile("run-a", config());

    assertThatThrownBy(() -> LockFiles.breakLock(store, catalogKey, "run-x"))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("it has id 'run-a', not 'run-x'")
        .hasMessageContaining("mvn lea:unlock -Dlea.unlockId=run-a");
    assertThat(LockFiles.inspect(store, catalogKey)).isPresent();

    LockInfo broken = LockFiles.breakLock(store, catalogKey, "run-a");
    assertThat(broken.id()).isEqualTo("run-a");
    assertThat(LockFiles.inspect(store, catalogKey)).isEmpty();
  }

  @Test
  void refusesANonPositiveTtl() {
    assertThatThrownBy(() -> lockFile("run-a", config().with(LeaSettings.LOCK_TTL, "PT0S")))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessageContaining("Cannot use 'PT0S' for lea.lock.ttl")
        .hasMessageContaining("from PT1S to P1D");
  }

  /** The configuration of every test: a one-second TTL, no waiting. */
  protected LeaConfig config() {
    return LeaConfig.defaults(projectDirectory).with(LeaSettings.LOCK_TTL, "PT1S");
  }

  private CatalogLock acquire(String strategy, String runId, LeaConfig config)
      throws IOException {
    return track(LockStrategies.named(strategy).acquire(request(runId, config)));
  }

  private CatalogLock lockFile(String runId, LeaConfig config) throws IOException {
    return track(new LockFileStrategy(clock).acquire(request(runId, config)));
  }

  private LockRequest request(String runId, LeaConfig config) {
    return new LockRequest(store, catalogKey, "run", runId, config, reporter);
  }

  private synchronized CatalogLock track(CatalogLock lock) {
    locks.add(lock);
    return lock;
  }

  private LockInfo writeLock(String id, Instant expires, Condition condition) throws IOException {
    Instant created = expires.minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
    LockInfo lock = new LockInfo(id, "someone@elsewhere", 4242, "run", created,
        expires.truncatedTo(ChronoUnit.MILLIS), "test", null);
    return LockFiles.write(store, LockFiles.lockKey(catalogKey), lock, condition);
  }

  private ObjectInfo write(String key, String content, Condition condition) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return store.put(key, new ByteArrayInputStream(bytes), bytes.length, Map.of(), condition);
  }

  private String read(String key) throws IOException {
    try (ReadResult result = store.read(key, null)) {
      return new String(result.content().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private ObjectInfo head(String key) throws IOException {
    return store.head(key).orElseThrow();
  }

  /** Runs the attempts at once; each outcome is the lock taken or the exception thrown. */
  private static List<Object> race(Race.Racer attempt) throws Exception {
    return Race.run(RACERS, attempt);
  }

  private static List<CatalogLock> winners(List<Object> outcomes) {
    return outcomes.stream().filter(CatalogLock.class::isInstance).map(CatalogLock.class::cast)
        .toList();
  }

  /** Polls state another thread changes (the heartbeat), with a deadline. */
  private static void await(String what, Callable<Boolean> condition)
      throws IOException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    try {
      while (!condition.call()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Timed out waiting until " + what);
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
