package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockObjects;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.testing.ChildJvm;
import dev.lea.testing.SystemProperties;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store must give many real JVMs writing one catalog: extend it and answer
 * {@link #startBucket(Path)}. With {@code lock-file} every change lands and the runs are serial
 * (each saw a different number of rows). With {@code conditional-write} every writer either
 * commits or is refused with its catalog kept aside, nothing overwritten; the catalog is one of
 * the round's winners' and each round builds on the last; a conflict copy is uploaded beside the
 * catalog for every writer refused as a conflict. On a store that checks {@code If-Match}
 * atomically ({@link Bucket#atomicIfMatch()}) exactly one writer of a round wins and every other
 * one is refused as a conflict. {@code -Dlea.test.heavy=true} runs more processes and rounds.
 */
public abstract class MultiWriterContract {

  protected static final boolean HEAVY = Boolean.getBoolean("lea.test.heavy");
  private static final String CATALOG = "lake/warehouse.duckdb";

  /**
   * Where the writers meet.
   *
   * @param root the catalog goes to {@code root + "lake/warehouse.duckdb"}
   * @param settings lea settings (by property name) that reach the bucket
   * @param systemProperties set in every child and, until the test ends, in this JVM
   * @param atomicIfMatch whether the store checks {@code If-Match} and writes in one step
   * @param server stopped after the test
   */
  public record Bucket(String root, Map<String, String> settings,
      Map<String, String> systemProperties, boolean atomicIfMatch, AutoCloseable server) {}

  @TempDir protected Path dir;
  private Bucket bucket;
  private String url;
  private String key;
  private ObjectStore store;
  private SystemProperties properties;
  private final List<ChildJvm> children = new ArrayList<>();

  /** Starts the bucket server for one test; {@code dir} is the test's private directory. */
  protected abstract Bucket startBucket(Path dir) throws Exception;

  protected int lockFileProcesses() {
    return HEAVY ? 12 : 6;
  }

  protected int conditionalProcesses() {
    return 6;
  }

  protected int conditionalRounds() {
    return HEAVY ? 4 : 2;
  }

  @BeforeEach
  void openBucket() throws Exception {
    bucket = startBucket(dir);
    url = bucket.root() + CATALOG;
    properties = SystemProperties.set(bucket.systemProperties());
    Location location = Location.parse(url, dir);
    key = location.key();
    store = ObjectStores.open(location, withBucket(LeaConfig.defaults(dir)));
  }

  @AfterEach
  void closeBucket() throws Exception {
    children.forEach(ChildJvm::close);
    store.close();
    properties.close();
    bucket.server().close();
  }

  private LeaConfig withBucket(LeaConfig config) {
    for (Map.Entry<String, String> setting : bucket.settings().entrySet()) {
      config = config.with(setting.getKey(), setting.getValue());
    }
    return config;
  }

  private ChildJvm start(String label, String lock) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>(bucket.settings());
    settings.put(LeaSettings.DUCKDB_PATH, url);
    settings.put(LeaSettings.LOCK, lock);
    settings.put(LeaSettings.LOCK_WAIT, "PT5M");
    settings.put(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    settings.put(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    ChildJvm child = ReliabilityChild.start(label, dir, dir.resolve("children.err"),
        bucket.systemProperties(), settings);
    children.add(child);
    return child;
  }

  @Test
  void lockFileWritersAllLandOneAtATime() throws Exception {
    List<ChildJvm> writers = new ArrayList<>();
    for (int i = 0; i < lockFileProcesses(); i++) {
      ChildJvm child = start("w" + i, "lock-file");
      child.send("go");
      child.send("go");
      writers.add(child);
    }
    for (ChildJvm writer : writers) {
      writer.await("COMMITTED");
      assertThat(writer.exit()).as(writer.label).isZero();
    }

    Map<String, Long> rows = rows();
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
        writers.stream().map(w -> w.label).toList());
    assertThat(rows.values()).as("rows each writer saw before adding its own")
        .containsExactlyInAnyOrderElementsOf(
            LongStream.range(0, lockFileProcesses()).boxed().toList());
    assertThat(store.head(LockObjects.lockKey(key))).as("the lock after the last release").isEmpty();
    assertThat(conflictObjects()).isEmpty();
  }

  @Test
  void conditionalWriteRefusesEveryWriterThatDidNotWinAndKeepsItsCatalog() throws Exception {
    List<String> landed = new ArrayList<>();
    int conflictCopies = 0;
    for (int round = 0; round < conditionalRounds(); round++) {
      List<ChildJvm> writers = new ArrayList<>();
      for (int i = 0; i < conditionalProcesses(); i++) {
        writers.add(start("r" + round + "w" + i, "conditional-write"));
      }
      // Everyone has downloaded the same version before anyone writes.
      for (ChildJvm writer : writers) {
        writer.await("OPENED");
      }
      for (ChildJvm writer : writers) {
        writer.send("go");
        writer.send("go");
      }
      Set<String> winners = new HashSet<>();
      List<String> kept = new ArrayList<>();
      int conflicts = 0;
      for (ChildJvm writer : writers) {
        String outcome = writer.awaitAny("COMMITTED", "CONFLICT", "FAILED");
        if (outcome.startsWith("COMMITTED")) {
          assertThat(writer.exit()).isZero();
          winners.add(writer.label);
        } else if (outcome.startsWith("CONFLICT")) {
          assertThat(outcome).as(writer.label)
              .contains("Cannot upload catalog " + url)
              .contains("another writer changed it after this run downloaded it")
              .contains("Nothing was overwritten").contains("kept at ")
              .contains("and uploaded as");
          assertThat(writer.exit()).isEqualTo(3);
          conflicts++;
          kept.add(between(outcome, "kept at ", " and uploaded as"));
        } else {
          assertThat(bucket.atomicIfMatch()).as("%s: only a store that checks If-Match apart"
              + " from the write fails a refused upload instead (%s)", writer.label, outcome)
              .isFalse();
          // S3Proxy may answer 412 and close the connection before it reads the body: the
          // client sees a broken pipe instead of the 412, and the run reports a failed upload.
          assertThat(outcome).as(writer.label)
              .startsWith("FAILED Cannot upload catalog " + url + ": Cannot write " + url)
              .contains("The upload failed. The catalog is kept at ");
          assertThat(writer.exit()).isEqualTo(4);
          kept.add(outcome.substring(outcome.indexOf("kept at ") + "kept at ".length(),
              outcome.length() - 1));
        }
      }
      if (bucket.atomicIfMatch()) {
        assertThat(winners).as("winners of round %d", round).hasSize(1);
      } else {
        assertThat(winners).as("writers told they won in round %d", round).isNotEmpty();
      }
      assertThat(kept).hasSize(conditionalProcesses() - winners.size())
          .allSatisfy(path -> assertThat(Path.of(path)).isRegularFile());
      conflictCopies += conflicts;

      Map<String, Long> rows = rows();
      assertThat(rows).as("one row per round, by a writer that was told it won")
          .hasSize(round + 1).containsAllEntriesOf(rowsOf(landed));
      String newRow = rows.keySet().stream().filter(label -> !landed.contains(label))
          .findFirst().orElseThrow();
      assertThat(winners).contains(newRow);
      assertThat(rows.get(newRow)).as("rows the round's writer saw").isEqualTo(round);
      landed.add(newRow);
      assertThat(conflictObjects()).as("conflict copies uploaded so far").hasSize(conflictCopies);
    }
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  private static Map<String, Long> rowsOf(List<String> landed) {
    Map<String, Long> expected = new LinkedHashMap<>();
    for (int round = 0; round < landed.size(); round++) {
      expected.put(landed.get(round), (long) round);
    }
    return expected;
  }

  private List<ObjectInfo> conflictObjects() throws Exception {
    return store.list(key + ".conflict-");
  }

  /** Label to the number of rows that writer saw, read back through a read-only session. */
  private Map<String, Long> rows() throws Exception {
    LeaConfig config = withBucket(LeaConfig.defaults(dir))
        .with(LeaSettings.DUCKDB_PATH, url)
        .with(LeaSettings.READ_ONLY, "true")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    Map<String, Long> byLabel = new LinkedHashMap<>();
    int count = 0;
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT label, seen FROM runs")) {
      while (rs.next()) {
        byLabel.put(rs.getString(1), rs.getLong(2));
        count++;
      }
      session.commit();
    }
    assertThat(byLabel).as("one row per label").hasSize(count);
    return byLabel;
  }
}
