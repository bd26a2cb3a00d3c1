package dev.lea.store.s3.reliability;

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
import dev.lea.store.s3.reliability.FaultProxy.Fault;
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
import java.util.Map;
import java.util.Random;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 store, opened through its provider as a run opens it (so with lea's retry settings),
 * talking to S3Proxy through a {@link FaultProxy}: connections reset mid-upload and mid-download,
 * and bursts of 503. Each operation either succeeds through retries or fails with a {@code Cannot
 * ...} error, and the object already there is never damaged.
 */
class S3FaultIT {

  private static final String ACCESS_KEY = "reliability-access";
  private static final String SECRET_KEY = "reliability-secret";
  private static final String BUCKET = "reliability";
  private static final String KEY = "lake/warehouse.duckdb";
  private static final int SIZE = 3 * 1024 * 1024;

  @TempDir static Path blobs;
  @TempDir Path dir;
  private static S3Proxy s3;
  private static String previousId;
  private static String previousSecret;
  private FaultProxy proxy;
  private ObjectStore store;
  private LeaConfig config;
  private byte[] old;

  @BeforeAll
  static void startS3() throws Exception {
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
  }

  @AfterAll
  static void stopS3() throws Exception {
    restore("aws.accessKeyId", previousId);
    restore("aws.secretAccessKey", previousSecret);
    s3.stop();
  }

  @BeforeEach
  void seed() throws Exception {
    proxy = new FaultProxy(URI.create("http://127.0.0.1:" + s3.getPort()));
    config = LeaConfig.defaults(dir)
        .with(LeaSettings.S3_ENDPOINT, proxy.endpoint().toString())
        .with(LeaSettings.S3_REGION, "us-east-1")
        .with(LeaSettings.S3_PATH_STYLE, "true");
    store = ObjectStores.open(Location.parse("s3://" + BUCKET + "/" + KEY, dir), config);
    old = bytes(1);
    store.put(KEY, new ByteArrayInputStream(old), old.length, Map.of("lea-generation", "old"),
        Condition.none());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    proxy.close();
  }

  @Test
  void aResetMidUploadIsRetriedAndTheWholeObjectLands() throws Exception {
    byte[] fresh = bytes(2);
    String before = store.head(KEY).orElseThrow().version();
    proxy.inject(Fault.RESET_REQUEST_BODY, "PUT", 2, SIZE / 2);

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
    proxy.inject(Fault.RESET_REQUEST_BODY, "PUT", 100, SIZE / 2);

    assertThatThrownBy(() -> store.put(KEY, new ByteArrayInputStream(bytes(2)), SIZE,
        Map.of(), Condition.ifMatch(before.version())))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot write s3://" + BUCKET + "/" + KEY);

    assertThat(proxy.injected()).as("attempts, all cut").isEqualTo(5);
    proxy.inject(Fault.RESET_REQUEST_BODY, "PUT", 0, 0);
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(before.version());
    assertThat(read()).isEqualTo(old);
  }

  @Test
  void aBurstOf503IsRetriedForWritesAndReads() throws Exception {
    byte[] fresh = bytes(3);
    proxy.inject(Fault.SERVICE_UNAVAILABLE, "PUT", 3, 0);
    store.put(KEY, new ByteArrayInputStream(fresh), fresh.length, Map.of(), Condition.none());
    assertThat(proxy.injected()).isEqualTo(3);

    proxy.inject(Fault.SERVICE_UNAVAILABLE, "GET", 3, 0);
    assertThat(read()).isEqualTo(fresh);
    assertThat(proxy.injected()).isEqualTo(3);
  }

  @Test
  void slowResponsesAreWaitedFor() throws Exception {
    byte[] fresh = bytes(6);
    String before = store.head(KEY).orElseThrow().version();
    proxy.inject(Fault.SLOW_RESPONSE, "PUT", 1, 2_000);
    ObjectInfo written = store.put(KEY, new ByteArrayInputStream(fresh), fresh.length,
        Map.of(), Condition.ifMatch(before));
    assertThat(proxy.injected()).isEqualTo(1);
    assertThat(written.version()).isNotEqualTo(before);

    proxy.inject(Fault.SLOW_RESPONSE, "GET", 1, 2_000);
    assertThat(read()).isEqualTo(fresh);
    assertThat(proxy.injected()).isEqualTo(1);
  }

  @Test
  void a503BurstLongerThanTheRetriesFailsCleanly() throws Exception {
    ObjectInfo before = store.head(KEY).orElseThrow();
    proxy.inject(Fault.SERVICE_UNAVAILABLE, "PUT", 100, 0);

    assertThatThrownBy(() -> store.put(KEY, new ByteArrayInputStream(bytes(4)), SIZE,
        Map.of(), Condition.none()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot write s3://" + BUCKET + "/" + KEY);

    assertThat(proxy.injected()).isEqualTo(5);
    proxy.inject(Fault.SERVICE_UNAVAILABLE, "PUT", 0, 0);
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(before.version());
    assertThat(read()).isEqualTo(old);
  }

  @Test
  void aResetMidDownloadFailsTheDownloadAndKeepsTheLocalCopy() throws Exception {
    CatalogTransport transport = CatalogTransports.named("object-copy");
    byte[] catalog = bytes(5);
    transport.upload(store, KEY, write(dir.resolve("upload.duckdb"), catalog),
        new CatalogFile(sha256(catalog), catalog.length, "duckdb"), Condition.none(), config);
    Path local = write(dir.resolve("local").resolve("warehouse.duckdb"), old);
    proxy.inject(Fault.RESET_RESPONSE, "GET", 1, SIZE / 2);

    assertThatThrownBy(() -> transport.download(store, KEY, local, null, config))
        .isInstanceOf(IOException.class);

    assertThat(proxy.injected()).isEqualTo(1);
    assertThat(Files.readAllBytes(local)).as("the existing local copy").isEqualTo(old);
    try (var files = Files.list(local.getParent())) {
      assertThat(files).as("no temp file left").containsExactly(local);
    }
    assertThat(transport.download(store, KEY, local, null, config).sha256())
        .isEqualTo(sha256(catalog));
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

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
