package dev.lea.store.gcs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import dev.lea.store.gcs.FakeGcsServer;
import dev.lea.store.gcs.reliability.FaultProxy.Fault;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GCS store, opened through its provider as a run opens it (so with the library's default
 * retry strategy), talking to the GCS fake through a {@link FaultProxy}: connections reset
 * mid-upload and mid-download, and bursts of 503. Each operation either succeeds through retries
 * or fails with a {@code Cannot ...} error, and the object already there is never damaged.
 */
class GcsFaultIT {

  private static final String BUCKET = "reliability";
  private static final String KEY = "lake/warehouse.duckdb";
  private static final int SIZE = 3 * 1024 * 1024;
  /**
   * The library's default: at most 6 attempts, and none started after 50 s; with its jittered
   * backoff the time limit may end the retries after 5.
   */
  private static final int MAX_ATTEMPTS = 6;
  /** The data request of a resumable upload (not the session start, not a status query). */
  private static final Predicate<String> UPLOAD_DATA = head -> head.startsWith("PUT ")
      && head.contains("upload_id=")
      && head.toLowerCase(Locale.ROOT).contains("content-length: " + SIZE);
  private static final Predicate<String> DOWNLOAD = head -> head.startsWith("GET ")
      && head.contains("alt=media");

  @TempDir Path dir;
  private FakeGcsServer fake;
  private FaultProxy proxy;
  private ObjectStore store;
  private LeaConfig config;
  private byte[] old;

  @BeforeEach
  void seed() throws Exception {
    fake = FakeGcsServer.start();
    fake.createBucket(BUCKET);
    proxy = new FaultProxy(URI.create(fake.endpoint()));
    config = LeaConfig.defaults(dir)
        .with(LeaSettings.GCS_ENDPOINT, proxy.endpoint().toString())
        .with(LeaSettings.GCS_PROJECT, "lea-reliability");
    store = ObjectStores.open(Location.parse("gs://" + BUCKET + "/" + KEY, dir), config);
    old = bytes(1);
    store.put(KEY, new ByteArrayInputStream(old), old.length, Map.of("lea-generation", "old"),
        Condition.none());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    proxy.close();
    fake.close();
  }

  @Test
  void aResetMidUploadIsRetriedAndTheWholeObjectLands() throws Exception {
    byte[] fresh = bytes(2);
    String before = store.head(KEY).orElseThrow().version();
    proxy.inject(Fault.RESET_REQUEST_BODY, UPLOAD_DATA, 2, SIZE / 2);

    ObjectInfo written = store.put(KEY, new ByteArrayInputStream(fresh), fresh.length,
        Map.of("lea-generation", "new"), Condition.ifMatch(before));

    assertThat(proxy.injected()).as("uploads cut halfway").isEqualTo(2);
    assertThat(read()).isEqualTo(fresh);
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(written.version())
        .isNotEqualTo(before);
  }

  @Test
  void resetsOnEveryAttemptFailCleanlyAndLeaveTheOldObject() throws Exception {
    ObjectInfo before = store.head(KEY).orElseThrow();
    proxy.inject(Fault.RESET_REQUEST_BODY, UPLOAD_DATA, 100, SIZE / 2);

    assertThatThrownBy(() -> store.put(KEY, new ByteArrayInputStream(bytes(2)), SIZE,
        Map.of(), Condition.ifMatch(before.version())))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot write gs://" + BUCKET + "/" + KEY);

    assertThat(proxy.injected()).as("attempts, all cut").isBetween(2, MAX_ATTEMPTS);
    proxy.stopInjecting();
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(before.version());
    assertThat(read()).isEqualTo(old);
  }

  @Test
  void aBurstOf503IsRetriedForWritesAndReads() throws Exception {
    byte[] fresh = bytes(3);
    String before = store.head(KEY).orElseThrow().version();
    proxy.inject(Fault.SERVICE_UNAVAILABLE, UPLOAD_DATA, 2, 0);
    store.put(KEY, new ByteArrayInputStream(fresh), fresh.length, Map.of(),
        Condition.ifMatch(before));
    assertThat(proxy.injected()).isEqualTo(2);

    proxy.inject(Fault.SERVICE_UNAVAILABLE, DOWNLOAD, 2, 0);
    assertThat(read()).isEqualTo(fresh);
    assertThat(proxy.injected()).isEqualTo(2);
  }

  @Test
  void a503BurstLongerThanTheRetriesFailsCleanly() throws Exception {
    ObjectInfo before = store.head(KEY).orElseThrow();
    proxy.inject(Fault.SERVICE_UNAVAILABLE, UPLOAD_DATA, 100, 0);

    assertThatThrownBy(() -> store.put(KEY, new ByteArrayInputStream(bytes(4)), SIZE,
        Map.of(), Condition.ifMatch(before.version())))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot write gs://" + BUCKET + "/" + KEY);

    assertThat(proxy.injected()).as("attempts, all refused").isBetween(2, MAX_ATTEMPTS);
    proxy.stopInjecting();
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(before.version());
    assertThat(read()).isEqualTo(old);
  }

  @Test
  void aResetMidDownloadIsResumedAndTheLocalCopyIsExact() throws Exception {
    CatalogTransport transport = CatalogTransports.named("object-copy");
    byte[] catalog = bytes(5);
    transport.upload(store, KEY, write(dir.resolve("upload.duckdb"), catalog),
        new CatalogFile(sha256(catalog), catalog.length, "duckdb"), Condition.none(), config);
    Path local = write(dir.resolve("local").resolve("warehouse.duckdb"), old);
    proxy.inject(Fault.RESET_RESPONSE, DOWNLOAD, 1, SIZE / 2);

    assertThat(transport.download(store, KEY, local, null, config).sha256())
        .isEqualTo(sha256(catalog));

    assertThat(proxy.injected()).isEqualTo(1);
    assertThat(Files.readAllBytes(local)).isEqualTo(catalog);
    try (var files = Files.list(local.getParent())) {
      assertThat(files).as("no temp file left").containsExactly(local);
    }
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

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
