package dev.lea.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} must do, run against each implementation: extend it and answer
 * {@link #newStore()}. Keys live under a fresh prefix per test, so a store may be shared by tests.
 * Races use real threads.
 */
public abstract class ObjectStoreContractTest {

  private static final int RACERS = 16;
  private static final int LARGE = 5 * 1024 * 1024;

  protected ObjectStore store;
  protected String prefix;

  /** A store to test; closed after each test. */
  protected abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
    prefix = "contract-" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  @Test
  void putThenReadReturnsBytesVersionAndMetadata() throws IOException {
    String key = prefix + "lake/catalog.sqlite";
    ObjectInfo written = put(key, "hello catalog", Map.of("sha256", "abc123", "format", "sqlite"),
        Condition.none());

    assertThat(written.key()).isEqualTo(key);
    assertThat(written.size()).isEqualTo(13);
    assertThat(written.version()).isNotBlank();
    try (ReadResult read = store.read(key, null)) {
      assertThat(read.status()).isEqualTo(ReadResult.Status.FOUND);
      assertThat(new String(read.content().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hello catalog");
      assertThat(read.info().version()).isEqualTo(written.version());
      assertThat(read.info().size()).isEqualTo(13);
      assertThat(read.info().metadata())
          .containsEntry("sha256", "abc123").containsEntry("format", "sqlite");
    }
  }

  @Test
  void headDescribesTheObjectWithoutReadingIt() throws IOException {
    String key = prefix + "head";
    ObjectInfo written = put(key, "12345", Map.of("format", "duckdb"), Condition.none());

    ObjectInfo head = store.head(key).orElseThrow();

    assertThat(head.key()).isEqualTo(key);
    assertThat(head.size()).isEqualTo(5);
    assertThat(head.version()).isEqualTo(written.version());
    assertThat(head.metadata()).containsEntry("format", "duckdb");
    assertThat(head.lastModified()).isNotNull();
  }

  @Test
  void missingKeysAreAbsentNotErrors() throws IOException {
    String key = prefix + "missing";

    assertThat(store.head(key)).isEmpty();
    try (ReadResult read = store.read(key, null)) {
      assertThat(read.status()).isEqualTo(ReadResult.Status.NOT_FOUND);
      assertThat(read.info()).isNull();
    }
    store.delete(key, Condition.none());
    assertThat(store.head(key)).isEmpty();
  }

  @Test
  void versionChangesOnEveryWriteAndStaysForAnUnchangedObject() throws IOException {
    String key = prefix + "versions";
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      versions.add(put(key, "content " + i, Map.of(), Condition.none()).version());
    }

    assertThat(versions).hasSize(5);
    String last = store.head(key).orElseThrow().version();
    assertThat(versions).contains(last);
    assertThat(store.head(key).orElseThrow().version()).isEqualTo(last);
  }

  @Test
  void conditionalReadAnswersNotModifiedForTheSameVersion() throws IOException {
    String key = prefix + "conditional-get";
    ObjectInfo first = put(key, "one", Map.of("n", "1"), Condition.none());

    try (ReadResult same = store.read(key, first.version())) {
      assertThat(same.status()).isEqualTo(ReadResult.Status.NOT_MODIFIED);
      assertThat(same.info().version()).isEqualTo(first.version());
      assertThatThrownBy(same::content).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("NOT_MODIFIED");
    }
    ObjectInfo second = put(key, "two", Map.of("n", "2"), Condition.none());
    try (ReadResult changed = store.read(key, first.version())) {
      assertThat(changed.status()).isEqualTo(ReadResult.Status.FOUND);
      assertThat(changed.info().version()).isEqualTo(second.version());
      assertThat(changed.info().metadata()).containsEntry("n", "2");
      assertThat(new String(changed.content().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("two");
    }
  }

  @Test
  void ifAbsentCreatesOnceThenFailsWithItsKeyAndCondition() throws IOException {
    String key = prefix + "if-absent";
    ObjectInfo created = put(key, "first", Map.of(), Condition.ifAbsent());

    assertThatThrownBy(() -> put(key, "second", Map.of(), Condition.ifAbsent()))
        .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.condition()).isEqualTo(Condition.ifAbsent());
        })
        .hasMessageContaining(key).hasMessageContaining("ifAbsent");
    assertThat(read(key)).isEqualTo("first");
    assertThat(store.head(key).orElseThrow().version()).isEqualTo(created.version());
  }

  @Test
  void ifMatchReplacesOnlyTheExpectedVersion() throws IOException {
    String key = prefix + "if-match";
    ObjectInfo first = put(key, "first", Map.of(), Condition.none());
    ObjectInfo second = put(key, "second", Map.of(), Condition.ifMatch(first.version()));

    assertThat(second.version()).isNotEqualTo(first.version());
    Condition stale = Condition.ifMatch(first.version());
    assertThatThrownBy(() -> put(key, "third", Map.of(), stale))
        .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.condition()).isEqualTo(stale);
        })
        .hasMessageContaining(key);
    assertThat(read(key)).isEqualTo("second");
  }

  @Test
  void ifMatchOnAMissingKeyFails() {
    String key = prefix + "if-match-missing";

    assertThatThrownBy(() -> put(key, "x", Map.of(), Condition.ifMatch("no-such-version")))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(key);
    assertThat(exists(key)).isFalse();
  }

  @Test
  void conditionalDeleteRemovesOnlyTheExpectedVersion() throws IOException {
    assumeThat(store.supports(Capability.CONDITIONAL_DELETE))
        .as(store.describe() + " does not claim CONDITIONAL_DELETE").isTrue();
    String key = prefix + "delete";
    ObjectInfo first = put(key, "first", Map.of(), Condition.none());
    ObjectInfo second = put(key, "second", Map.of(), Condition.none());

    assertThatThrownBy(() -> store.delete(key, Condition.ifMatch(first.version())))
        .isInstanceOfSatisfying(PreconditionFailedException.class,
            e -> assertThat(e.key()).isEqualTo(key));
    assertThat(read(key)).isEqualTo("second");

    store.delete(key, Condition.ifMatch(second.version()));
    assertThat(store.head(key)).isEmpty();
    assertThatThrownBy(() -> store.delete(key, Condition.ifMatch(second.version())))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void unconditionalDeleteRemovesTheObject() throws IOException {
    String key = prefix + "delete-any";
    put(key, "bytes", Map.of(), Condition.none());

    store.delete(key, Condition.none());

    assertThat(store.head(key)).isEmpty();
    assertThat(put(key, "again", Map.of(), Condition.ifAbsent()).size()).isEqualTo(5);
  }

  @Test
  void listsByPrefixSortedByKey() throws IOException {
    assumeThat(store.supports(Capability.LIST))
        .as(store.describe() + " does not claim LIST").isTrue();
    put(prefix + "lake/b.sqlite", "bb", Map.of(), Condition.none());
    put(prefix + "lake/a.sqlite", "a", Map.of(), Condition.none());
    put(prefix + "lake/a.sqlite.lock", "lock", Map.of(), Condition.none());
    put(prefix + "lake/deep/c", "ccc", Map.of(), Condition.none());
    put(prefix + "lakeside", "x", Map.of(), Condition.none());
    put(prefix + "other/z", "z", Map.of(), Condition.none());

    List<ObjectInfo> lake = store.list(prefix + "lake/");
    assertThat(lake).extracting(ObjectInfo::key).containsExactly(
        prefix + "lake/a.sqlite", prefix + "lake/a.sqlite.lock", prefix + "lake/b.sqlite",
        prefix + "lake/deep/c");
    assertThat(lake).extracting(ObjectInfo::size).containsExactly(1L, 4L, 2L, 3L);
    assertThat(lake.get(0).version()).isEqualTo(store.head(prefix + "lake/a.sqlite")
        .orElseThrow().version());
    assertThat(store.list(prefix + "lake")).extracting(ObjectInfo::key)
        .contains(prefix + "lakeside").hasSize(5);
    assertThat(store.list(prefix + "lake/a")).extracting(ObjectInfo::key)
        .containsExactly(prefix + "lake/a.sqlite", prefix + "lake/a.sqlite.lock");
    assertThat(store.list(prefix + "nothing/")).isEmpty();
    assertThat(store.list(prefix)).hasSize(6);
  }

  @Test
  void emptyObjectRoundTrips() throws IOException {
    String key = prefix + "empty";
    ObjectInfo written = put(key, "", Map.of("kind", "empty"), Condition.ifAbsent());

    assertThat(written.size()).isZero();
    assertThat(store.head(key).orElseThrow().size()).isZero();
    try (ReadResult read = store.read(key, null)) {
      assertThat(read.status()).isEqualTo(ReadResult.Status.FOUND);
      assertThat(read.content().readAllBytes()).isEmpty();
      assertThat(read.info().metadata()).containsEntry("kind", "empty");
    }
  }

  @Test
  void largeObjectIsStreamedBothWays() throws IOException {
    String key = prefix + "large.bin";
    GeneratedStream source = new GeneratedStream(LARGE, 7);
    ObjectInfo written = store.put(key, source, LARGE, Map.of(), Condition.ifAbsent());

    assertThat(written.size()).isEqualTo(LARGE);
    try (ReadResult read = store.read(key, null)) {
      assertThat(read.info().size()).isEqualTo(LARGE);
      assertThat(sha256(read.content())).isEqualTo(source.sha256());
    }
  }

  @Test
  void streamOfUnknownLengthIsStored() throws IOException {
    String key = prefix + "unknown-length.bin";
    int size = 300 * 1024 + 17;
    GeneratedStream source = new GeneratedStream(size, 3);
    ObjectInfo written = store.put(key, source, -1, Map.of("a", "b"), Condition.none());

    assertThat(written.size()).isEqualTo(size);
    try (ReadResult read = store.read(key, null)) {
      assertThat(read.info().size()).isEqualTo(size);
      assertThat(sha256(read.content())).isEqualTo(source.sha256());
    }
  }

  @Test
  void putFromAFileStoresItsBytes() throws IOException {
    Path file = Files.createTempFile("lea-contract", ".bin");
    try {
      Files.writeString(file, "from a file");
      String key = prefix + "from-file";
      ObjectInfo written = store.put(key, file, Map.of(), Condition.ifAbsent());

      assertThat(written.size()).isEqualTo(11);
      assertThat(read(key)).isEqualTo("from a file");
    } finally {
      Files.delete(file);
    }
  }

  /**
   * A store with {@link Capability#CRC32C} reports the full object's CRC32C on put, head and read,
   * in S3's and GCS's base64 form, for a single write and for one large enough to be multipart.
   */
  @Test
  void reportsTheWholeObjectsCrc32c() throws IOException {
    assumeThat(store.supports(Capability.CRC32C))
        .as("%s does not report CRC32C", store.describe()).isTrue();
    for (int size : new int[] {0, 11, 3 * LARGE + 17}) {
      byte[] bytes = new byte[size];
      new java.util.Random(size).nextBytes(bytes);
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(bytes);
      String expected = java.util.Base64.getEncoder().encodeToString(
          java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
      String key = prefix + "crc-" + size;

      ObjectInfo written = store.put(key, new ByteArrayInputStream(bytes), -1, Map.of(),
          Condition.none());

      assertThat(written.crc32c()).as("put of %d bytes", size).isEqualTo(expected);
      assertThat(store.head(key).orElseThrow().crc32c()).as("head").isEqualTo(expected);
      try (ReadResult read = store.read(key, null)) {
        assertThat(read.info().crc32c()).as("read").isEqualTo(expected);
      }
    }
  }

  @Test
  void racingIfAbsentHasExactlyOneWinner() throws Exception {
    String key = prefix + "race-absent";

    List<Outcome> outcomes = race(i -> put(key, "racer " + i, Map.of(), Condition.ifAbsent()));

    List<Outcome> winners = outcomes.stream().filter(Outcome::won).toList();
    assertThat(winners).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !o.won()).allSatisfy(o ->
        assertThat(o.failure()).isInstanceOfSatisfying(PreconditionFailedException.class,
            e -> assertThat(e.condition()).isEqualTo(Condition.ifAbsent())));
    assertThat(read(key)).isEqualTo("racer " + winners.get(0).racer());
  }

  @Test
  void racingIfMatchOnOneVersionHasExactlyOneWinner() throws Exception {
    assumeThat(store.supports(Capability.ATOMIC_IF_MATCH))
        .as(store.describe() + " does not claim ATOMIC_IF_MATCH, so concurrent ifMatch writes"
            + " may both succeed").isTrue();
    String key = prefix + "race-match";
    String base = put(key, "base", Map.of(), Condition.none()).version();

    List<Outcome> outcomes = race(i -> put(key, "racer " + i, Map.of(), Condition.ifMatch(base)));

    List<Outcome> winners = outcomes.stream().filter(Outcome::won).toList();
    assertThat(winners).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !o.won()).allSatisfy(o ->
        assertThat(o.failure()).isInstanceOfSatisfying(PreconditionFailedException.class,
            e -> assertThat(e.condition()).isEqualTo(Condition.ifMatch(base))));
    assertThat(read(key)).isEqualTo("racer " + winners.get(0).racer());
  }

  /** A racer's result: won, or the exception that made it lose. */
  private record Outcome(int racer, boolean won, Throwable failure) {}

  private interface Racer {
    void run(int racer) throws Exception;
  }

  private List<Outcome> race(Racer racer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      CountDownLatch ready = new CountDownLatch(RACERS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        int id = i;
        Callable<Outcome> task = () -> {
          ready.countDown();
          go.await();
          try {
            racer.run(id);
            return new Outcome(id, true, null);
          } catch (Exception e) {
            return new Outcome(id, false, e);
          }
        };
        futures.add(pool.submit(task));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(future.get(60, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  protected ObjectInfo put(String key, String content, Map<String, String> metadata,
      Condition condition) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return store.put(key, new ByteArrayInputStream(bytes), bytes.length, metadata, condition);
  }

  protected String read(String key) throws IOException {
    try (ReadResult read = store.read(key, null)) {
      assertThat(read.status()).as("status of " + key).isEqualTo(ReadResult.Status.FOUND);
      return new String(read.content().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private boolean exists(String key) {
    try {
      return store.head(key).isPresent();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest digest = digest();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deterministic pseudo-random bytes produced on demand, hashed as they are read. */
  private static final class GeneratedStream extends InputStream {
    private final long size;
    private final MessageDigest digest = digest();
    private long position;
    private long state;

    GeneratedStream(long size, long seed) {
      this.size = size;
      this.state = seed;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(length, size - position);
      for (int i = 0; i < n; i++) {
        state = state * 6364136223846793005L + 1442695040888963407L;
        buffer[offset + i] = (byte) (state >>> 56);
      }
      digest.update(buffer, offset, n);
      position += n;
      return n;
    }

    String sha256() {
      assertThat(position).as("bytes consumed by the store").isEqualTo(size);
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
