package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.lock.CatalogLock;
import dev.lea.lock.LockHeldException;
import dev.lea.lock.LockInfo;
import dev.lea.lock.LockObjects;
import dev.lea.lock.LockRequest;
import dev.lea.lock.LockStrategies;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lock objects that lea did not write: empty, huge, not JSON, JSON of the wrong shape or types.
 * Each reads as held by an unknown holder that never expires, refuses a new lock naming the
 * problem, and is left byte-for-byte as it was: lea never deletes an object it did not write (it
 * might be anything), so breaking it is refused and a person removes it.
 */
class LockFileFuzzTest {

  private static final String CATALOG = "lake/warehouse.duckdb";
  private static final String LOCK = "lake/.lea/locks/warehouse.duckdb.lock";

  @TempDir Path dir;
  private ObjectStore store;
  private LeaConfig config;

  @BeforeEach
  void setUp() {
    store = ObjectStores.file(dir.resolve("bucket"));
    config = LeaConfig.defaults(dir);
  }

  static Stream<Arguments> unreadable() {
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);
    String huge = "{\"id\":\"big\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
    String times = ",\"created\":\"2020-01-01T00:00:00Z\",\"expires\":\"2999-01-01T00:00:00Z\"";
    return Stream.of(
        Arguments.of("empty", new byte[0], "the lock object is empty"),
        Arguments.of("huge", utf8(huge), "the lock object is larger than 64 KiB"),
        Arguments.of("text", utf8("held by bob"), "the lock object is not JSON"),
        Arguments.of("truncated", utf8("{\"id\":\"abc\",\"who\":"), "the lock object is not JSON"),
        Arguments.of("random bytes", random, "the lock object is not JSON"),
        Arguments.of("array", utf8("[\"id\", \"abc\"]"), "the lock object is not a JSON object"),
        Arguments.of("null", utf8("null"), "the lock object is not a JSON object"),
        Arguments.of("number", utf8("42"), "the lock object is not a JSON object"),
        Arguments.of("string", utf8("\"abc\""), "the lock object is not a JSON object"),
        Arguments.of("no id", utf8("{\"who\":\"bob\"" + times + "}"), "the lock object has no id"),
        Arguments.of("null id", utf8("{\"id\":null" + times + "}"), "the lock object has no id"),
        Arguments.of("blank id", utf8("{\"id\":\"  \"" + times + "}"), "the lock object has no id"),
        Arguments.of("object id", utf8("{\"id\":{\"a\":1}" + times + "}"),
            "the lock object has no id"),
        Arguments.of("numeric times", utf8("{\"id\":\"abc\",\"created\":5,\"expires\":6}"),
            "the lock object has no valid created and expires times"),
        Arguments.of("boolean expiry", utf8("{\"id\":\"abc\",\"created\":\"2020-01-01T00:00:00Z\","
            + "\"expires\":true}"), "the lock object has no valid created and expires times"),
        Arguments.of("local time", utf8("{\"id\":\"abc\",\"created\":\"2020-01-01 00:00\","
            + "\"expires\":\"2999-01-01 00:00\"}"),
            "the lock object has no valid created and expires times"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("unreadable")
  void anUnreadableLockIsHeldByAnUnknownHolderUntilRemovedByHand(String name, byte[] body,
      String problem) throws Exception {
    store.put(LOCK, new ByteArrayInputStream(body), body.length, Map.of(), Condition.ifAbsent());

    LockInfo inspected = LockObjects.inspect(store, CATALOG).orElseThrow();
    assertThat(inspected.id()).startsWith("unreadable-");
    assertThat(inspected.who()).isEqualTo("unknown (" + problem + ")");
    assertThat(inspected.expires()).isEqualTo(Instant.MAX);
    assertThat(inspected.isExpired(Instant.now())).isFalse();

    assertThatThrownBy(() -> acquire("run-1"))
        .isInstanceOf(LockHeldException.class)
        .hasMessageStartingWith("Cannot take the lock on ")
        .hasMessageContaining("the object there is not a lock lea wrote (" + problem)
        .hasMessageContaining("delete it with the store's own tools")
        .hasMessageNotContaining("lea:unlock");
    assertThat(lockBytes()).isEqualTo(body);

    assertThatThrownBy(() -> LockObjects.breakLock(store, CATALOG, inspected.id()))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot break the lock on ")
        .hasMessageContaining("it is not a lock lea wrote (" + problem + "), so lea will not"
            + " delete it");
    assertThat(lockBytes()).isEqualTo(body);

    store.delete(LOCK, Condition.none());
    try (CatalogLock lock = acquire("run-2")) {
      assertThat(LockObjects.inspect(store, CATALOG).orElseThrow().id()).isEqualTo("run-2");
    }
    assertThat(LockObjects.inspect(store, CATALOG)).isEmpty();
  }

  @Test
  void aLockWithOddButHarmlessFieldsIsAnOrdinaryLiveLock() throws Exception {
    byte[] body = utf8("{\"id\":\"other\",\"who\":42,\"pid\":\"not a pid\",\"operation\":[1],"
        + "\"created\":\"2020-01-01T00:00:00Z\",\"expires\":\"2999-01-01T00:00:00Z\","
        + "\"extra\":{\"nested\":true}}");
    store.put(LOCK, new ByteArrayInputStream(body), body.length, Map.of(), Condition.ifAbsent());

    LockInfo inspected = LockObjects.inspect(store, CATALOG).orElseThrow();
    assertThat(inspected.id()).isEqualTo("other");
    assertThat(inspected.pid()).isEqualTo(-1);
    assertThatThrownBy(() -> acquire("run-1"))
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("id other")
        .hasMessageContaining("mvn lea:unlock -Dlea.unlockId=other");
    assertThat(lockBytes()).isEqualTo(body);
  }

  @Test
  void anExpiredLockWithWrongTypedExtrasIsTakenOver() throws Exception {
    byte[] body = utf8("{\"id\":\"dead\",\"pid\":{},\"created\":\"2020-01-01T00:00:00Z\","
        + "\"expires\":\"2020-01-01T00:02:00Z\",\"version\":7}");
    store.put(LOCK, new ByteArrayInputStream(body), body.length, Map.of(), Condition.ifAbsent());

    try (CatalogLock lock = acquire("run-1")) {
      assertThat(LockObjects.inspect(store, CATALOG).orElseThrow().id()).isEqualTo("run-1");
    }
    assertThat(LockObjects.inspect(store, CATALOG)).isEmpty();
  }

  @Test
  void controlCharactersInAnIdMakeItUnreadableAndInOtherFieldsArePrintedAsQuestionMarks()
      throws Exception {
    String times = ",\"created\":\"2020-01-01T00:00:00Z\",\"expires\":\"2999-01-01T00:00:00Z\"";
    byte[] badId = utf8("{\"id\":\"x\\nINFO forged line\"" + times + "}");
    store.put(LOCK, new ByteArrayInputStream(badId), badId.length, Map.of(), Condition.ifAbsent());
    assertThat(LockObjects.inspect(store, CATALOG).orElseThrow().who())
        .isEqualTo("unknown (the lock object's id contains control characters)");

    store.delete(LOCK, Condition.none());
    byte[] badWho = utf8("{\"id\":\"ok\",\"who\":\"bob\\r\\n\\u001b[31mroot\",\"operation\":"
        + "\"run\\u202e\"" + times + "}");
    store.put(LOCK, new ByteArrayInputStream(badWho), badWho.length, Map.of(), Condition.ifAbsent());
    LockInfo inspected = LockObjects.inspect(store, CATALOG).orElseThrow();
    assertThat(inspected.who()).isEqualTo("bob???[31mroot");
    assertThat(inspected.operation()).isEqualTo("run?");
  }

  private CatalogLock acquire(String runId) throws IOException {
    return LockStrategies.named("lock-file").acquire(
        new LockRequest(store, CATALOG, "run", runId, config, Reporter.silent()));
  }

  private byte[] lockBytes() throws IOException {
    try (ReadResult read = store.read(LOCK, null)) {
      return read.content().readAllBytes();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
