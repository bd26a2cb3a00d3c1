package dev.lea.store.s3.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockFiles;
import dev.lea.reliability.ChildJvm;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.net.URI;
import java.nio.file.Files;
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
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many real JVMs on one {@code s3://} catalog served by S3Proxy in this JVM. With {@code
 * lock-file} every change lands and the runs are serial: S3Proxy creates objects with
 * {@code If-None-Match: *} atomically, so exactly one run holds the lock at a time. With {@code
 * conditional-write} S3Proxy checks {@code If-Match} and then writes in a second step, so more than
 * one writer of a round may be told it won (real S3 checks atomically: exactly one); and it may
 * answer 412 before reading the body and close the connection, so a refused writer can see a
 * broken pipe instead. What holds here anyway: every writer either commits or is refused with its
 * catalog kept aside; the catalog is one of the round's winners' and each round builds on the
 * last; a conflict copy is uploaded for every writer refused as a conflict.
 * {@code -Dlea.test.heavy=true} runs more processes and rounds.
 */
class S3ConcurrencyIT {

  private static final boolean HEAVY = Boolean.getBoolean("lea.test.heavy");
  static final int LOCK_FILE_PROCESSES = HEAVY ? 12 : 6;
  static final int CONDITIONAL_PROCESSES = 5;
  static final int CONDITIONAL_ROUNDS = HEAVY ? 4 : 2;
  private static final String ACCESS_KEY = "concurrency-access";
  private static final String SECRET_KEY = "concurrency-secret";
  private static final String BUCKET = "concurrency";
  private static final String KEY = "lake/warehouse.duckdb";
  private static final String URL = "s3://" + BUCKET + "/" + KEY;

  @TempDir Path dir;
  private S3Proxy s3;
  private String previousId;
  private String previousSecret;
  private ObjectStore store;
  private final List<ChildJvm> children = new ArrayList<>();

  @BeforeEach
  void startS3() throws Exception {
    Path blobs = Files.createDirectories(dir.resolve("blobs"));
    s3 = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    s3.start();
    Files.createDirectories(blobs.resolve(BUCKET));
    // The SDK's default chain reads these before the environment; restored afterwards.
    previousId = System.setProperty("aws.accessKeyId", ACCESS_KEY);
    previousSecret = System.setProperty("aws.secretAccessKey", SECRET_KEY);
    store = ObjectStores.open(Location.parse(URL, dir), withS3(LeaConfig.defaults(dir)));
  }

  @AfterEach
  void stop() throws Exception {
    children.forEach(ChildJvm::close);
    store.close();
    restore("aws.accessKeyId", previousId);
    restore("aws.secretAccessKey", previousSecret);
    s3.stop();
  }

  private LeaConfig withS3(LeaConfig config) {
    return config.with(LeaSettings.S3_ENDPOINT, "http://127.0.0.1:" + s3.getPort())
        .with(LeaSettings.S3_REGION, "us-east-1")
        .with(LeaSettings.S3_PATH_STYLE, "true");
  }

  private ChildJvm start(String label, String lock) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(LeaSettings.DUCKDB_PATH, URL);
    settings.put(LeaSettings.LOCK, lock);
    settings.put(LeaSettings.LOCK_WAIT, "PT5M");
    settings.put(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    settings.put(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    settings.put(LeaSettings.S3_ENDPOINT, "http://127.0.0.1:" + s3.getPort());
    settings.put(LeaSettings.S3_REGION, "us-east-1");
    settings.put(LeaSettings.S3_PATH_STYLE, "true");
    ChildJvm child = ChildJvm.start(label, dir, dir.resolve("children.err"),
        Map.of("aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET_KEY), settings);
    children.add(child);
    return child;
  }

  @Test
  void lockFileWritersAllLandOneAtATime() throws Exception {
    List<ChildJvm> writers = new ArrayList<>();
    for (int i = 0; i < LOCK_FILE_PROCESSES; i++) {
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
            LongStream.range(0, LOCK_FILE_PROCESSES).boxed().toList());
    assertThat(store.head(LockFiles.lockKey(KEY))).as("the lock after the last release").isEmpty();
    assertThat(conflictObjects()).isEmpty();
  }

  @Test
  void conditionalWriteRefusesEveryWriterThatDidNotWinAndKeepsItsCatalog() throws Exception {
    List<String> landed = new ArrayList<>();
    int conflictCopies = 0;
    for (int round = 0; round < CONDITIONAL_ROUNDS; round++) {
      List<ChildJvm> writers = new ArrayList<>();
      for (int i = 0; i < CONDITIONAL_PROCESSES; i++) {
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
          continue;
        }
        if (outcome.startsWith("CONFLICT")) {
          assertThat(outcome).as(writer.label)
              .contains("Cannot upload catalog " + URL)
              .contains("another writer changed it after this run downloaded it")
              .contains("Nothing was overwritten").contains("kept at ")
              .contains("and uploaded as");
          assertThat(writer.exit()).isEqualTo(3);
          conflicts++;
          kept.add(between(outcome, "kept at ", " and uploaded as"));
          continue;
        }
        // S3Proxy may answer 412 and close the connection before it reads the body: the client
        // sees a broken pipe instead of the 412, and the run reports a failed upload.
        assertThat(outcome).as(writer.label)
            .startsWith("FAILED Cannot upload catalog " + URL + ": Cannot write " + URL)
            .contains("The upload failed. The catalog is kept at ");
        assertThat(writer.exit()).isEqualTo(4);
        kept.add(outcome.substring(outcome.indexOf("kept at ") + "kept at ".length(),
            outcome.length() - 1));
      }
      assertThat(winners).as("writers told they won in round %d", round).isNotEmpty();
      assertThat(kept).hasSize(CONDITIONAL_PROCESSES - winners.size())
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
    return store.list(KEY + ".conflict-");
  }

  /** Label to the number of rows that writer saw, read back through a read-only session. */
  private Map<String, Long> rows() throws Exception {
    LeaConfig config = withS3(LeaConfig.defaults(dir))
        .with(LeaSettings.DUCKDB_PATH, URL)
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

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
