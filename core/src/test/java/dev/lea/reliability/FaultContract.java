package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import dev.lea.testing.FaultProxy.Fault;
import dev.lea.testing.FaultProxy;
import dev.lea.testing.GeneratedContent;
import dev.lea.testing.SystemProperties;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.TransportOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What a remote store must survive, opened through its provider as a run opens it (so with its
 * real retry settings) and talking to its server through a {@link FaultProxy}: connections reset
 * mid-upload and mid-download, bursts of 503, slow answers. Each operation either succeeds through
 * retries or fails with a {@code Cannot ...} error, and the object already there is never
 * damaged. Extend it and answer {@link #startStore(Path)}.
 *
 * <p>Each test has its own server, proxy and directory, and spends most of its time in the
 * client's backoff; where the build enables JUnit's parallel execution (the store modules'
 * failsafe configuration) the tests of a class wait side by side instead of one after another.
 */
public abstract class FaultContract {

  protected static final String KEY = "lake/warehouse.duckdb";
  protected static final int SIZE = 3 * 1024 * 1024;

  /**
   * The store under test and how to aim faults at it.
   *
   * @param proxy the relay between the store and its server
   * @param url where {@link #KEY} is, as a run names it
   * @param config the settings that reach the server through {@code proxy}
   * @param systemProperties set in this JVM until the test ends
   * @param upload the head of a request that carries an object's bytes up
   * @param download the head of a request that carries an object's bytes down
   * @param burst how many 503 answers in a row a write and a read ride out
   * @param minAttempts fewest attempts a write makes before it gives up
   * @param maxAttempts most attempts a write makes before it gives up
   * @param resumesDownloads whether a download cut halfway is resumed rather than failed
   * @param server stopped after the test, after the proxy
   */
  public record Faults(FaultProxy proxy, String url, LeaConfig config,
      Map<String, String> systemProperties,
      Predicate<String> upload, Predicate<String> download, int burst, int minAttempts,
      int maxAttempts,
      boolean resumesDownloads, AutoCloseable server) {}

  @TempDir protected Path dir;
  private Faults faults;
  private FaultProxy proxy;
  private SystemProperties properties;
  private ObjectStore store;
  private byte[] old;

  /** Starts the server and a proxy in front of it; {@code dir} is the test's directory. */
  protected abstract Faults startStore(Path dir) throws Exception;

  @BeforeEach
  void seed() throws Exception {
    faults = startStore(dir);
    proxy = faults.proxy();
    properties = SystemProperties.set(faults.systemProperties());
    store = ObjectStores.open(Location.parse(faults.url(), dir), faults.config());
    old = bytes(1);
    store.put(KEY, new ByteArrayInputStream(old), old.length, Map.of("lea-generation", "old"),
        Condition.none());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    proxy.close();
    properties.close();
    faults.server().close();
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aResetMidUploadIsRetriedAndTheWholeObjectLands() throws Exception {
    byte[] fresh = bytes(2);
    String before = store.head(KEY).orElseThrow().version();
    proxy.inject(Fault.RESET_REQUEST_BODY, faults.upload(), 2, SIZE / 2);

    ObjectInfo written = store.put(KEY, new ByteArrayInputStream(fresh), fresh.length,
        Map.of("lea-generation", "new"), Condition.ifMatch(before));

    assertThat(proxy.injected()).as("uploads cut halfway").isEqualTo(2);
    assertThat(read()).isEqualTo(fresh);
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(written.version())
        .isNotEqualTo(before);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void resetsOnEveryAttemptFailCleanlyAndLeaveTheOldObject() throws Exception {
    assertEveryAttemptFailsAndTheOldObjectStays(Fault.RESET_REQUEST_BODY, SIZE / 2, 2);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aBurstOf503IsRetriedForWritesAndReads() throws Exception {
    byte[] fresh = bytes(3);
    String before = store.head(KEY).orElseThrow().version();
    int burst = faults.burst();
    proxy.inject(Fault.SERVICE_UNAVAILABLE, faults.upload(), burst, 0);
    store.put(KEY, new ByteArrayInputStream(fresh), fresh.length, Map.of(),
        Condition.ifMatch(before));
    assertThat(proxy.injected()).isEqualTo(burst);

    proxy.inject(Fault.SERVICE_UNAVAILABLE, faults.download(), burst, 0);
    assertThat(read()).isEqualTo(fresh);
    assertThat(proxy.injected()).isEqualTo(burst);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void slowResponsesAreWaitedFor() throws Exception {
    byte[] fresh = bytes(6);
    String before = store.head(KEY).orElseThrow().version();
    proxy.inject(Fault.SLOW_RESPONSE, faults.upload(), 1, 2_000);
    ObjectInfo written = store.put(KEY, new ByteArrayInputStream(fresh), fresh.length,
        Map.of(), Condition.ifMatch(before));
    assertThat(proxy.injected()).isEqualTo(1);
    assertThat(written.version()).isNotEqualTo(before);

    proxy.inject(Fault.SLOW_RESPONSE, faults.download(), 1, 2_000);
    assertThat(read()).isEqualTo(fresh);
    assertThat(proxy.injected()).isEqualTo(1);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void a503BurstLongerThanTheRetriesFailsCleanly() throws Exception {
    assertEveryAttemptFailsAndTheOldObjectStays(Fault.SERVICE_UNAVAILABLE, 0, 4);
  }

  /** A conditional write whose every attempt meets {@code fault} fails; the object stays. */
  private void assertEveryAttemptFailsAndTheOldObjectStays(Fault fault, long afterBytes,
      long seed) throws Exception {
    ObjectInfo before = store.head(KEY).orElseThrow();
    proxy.inject(fault, faults.upload(), 100, afterBytes);

    assertThatThrownBy(() -> store.put(KEY, new ByteArrayInputStream(bytes(seed)), SIZE,
        Map.of(), Condition.ifMatch(before.version())))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot write " + faults.url());

    assertThat(proxy.injected()).as("attempts, all failed by %s", fault)
        .isBetween(faults.minAttempts(), faults.maxAttempts());
    proxy.stopInjecting();
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(before.version());
    assertThat(read()).isEqualTo(old);
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aResetMidDownloadLeavesAnExactLocalCopy() throws Exception {
    CatalogTransport transport = CatalogTransports.named("object-copy")
        .withOptions(TransportOptions.of(faults.config()));
    byte[] catalog = bytes(5);
    String sha256 = GeneratedContent.sha256Hex(catalog);
    transport.upload(store, KEY, write(dir.resolve("upload.duckdb"), catalog),
        new CatalogFile(sha256, catalog.length, "duckdb"), Condition.none());
    Path local = write(dir.resolve("local").resolve("warehouse.duckdb"), old);
    proxy.inject(Fault.RESET_RESPONSE, faults.download(), 1, SIZE / 2);

    if (faults.resumesDownloads()) {
      assertThat(transport.download(store, KEY, local, null).sha256())
          .isEqualTo(sha256);
      assertThat(Files.readAllBytes(local)).isEqualTo(catalog);
    } else {
      assertThatThrownBy(() -> transport.download(store, KEY, local, null))
          .isInstanceOf(IOException.class);
      assertThat(Files.readAllBytes(local)).as("the existing local copy").isEqualTo(old);
    }

    assertThat(proxy.injected()).isEqualTo(1);
    try (var files = Files.list(local.getParent())) {
      assertThat(files).as("no temp file left").containsExactly(local);
    }
    assertThat(transport.download(store, KEY, local, null).sha256())
        .isEqualTo(sha256);
    assertThat(Files.readAllBytes(local)).isEqualTo(catalog);
  }

  private byte[] read() throws IOException {
    try (ReadResult result = store.read(KEY, null)) {
      return result.content().readAllBytes();
    }
  }

  private static byte[] bytes(long seed) {
    byte[] data = new byte[SIZE];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static Path write(Path file, byte[] data) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, data);
  }
}
