package dev.lea.store.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import dev.lea.testing.FaultProxy;
import dev.lea.testing.FaultProxy.Fault;
import dev.lea.testing.FaultProxy.Unavailable;
import dev.lea.testing.GeneratedContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 store against an in-process S3Proxy: what the generic contract does not cover. */
class S3ObjectStoreIT {

  private static final int MIB = 1024 * 1024;
  /** Small parts and few in flight, so that bounded memory is visible on a 64 MiB object. */
  private static final UploadTuning SMALL_PARTS = new UploadTuning(8L * MIB, 5 * MIB, 2);

  @TempDir
  static Path blobs;
  private static S3ProxyServer server;
  private String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(blobs);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void createBucket(TestInfo test) {
    bucket = "b-" + test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll(
        "[^a-z0-9]", "-");
    bucket = bucket.substring(0, Math.min(bucket.length(), 60));
    server.createBucket(bucket);
  }

  private S3ObjectStore store() {
    return store(UploadTuning.DEFAULT);
  }

  private S3ObjectStore store(UploadTuning tuning) {
    return new S3ObjectStore("s3", bucket, server.newClient(), tuning);
  }

  private static ObjectInfo put(ObjectStore store, String key, String body, Condition condition)
      throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    return store.put(key, new ByteArrayInputStream(bytes), bytes.length, Map.of("owner", "me"),
        condition);
  }

  private static String text(ObjectStore store, String key) throws IOException {
    try (ReadResult result = store.read(key, null)) {
      assertThat(result.status()).isEqualTo(ReadResult.Status.FOUND);
      return new String(result.content().readAllBytes(), UTF_8);
    }
  }

  @Test
  void writesReadsAndDescribesObjects() throws IOException {
    try (S3ObjectStore store = store()) {
      ObjectInfo written = put(store, "lake/catalog.sqlite", "v1", Condition.none());
      ObjectInfo head = store.head("lake/catalog.sqlite").orElseThrow();

      assertThat(head.version()).isEqualTo(written.version());
      assertThat(head.size()).isEqualTo(2);
      assertThat(head.metadata()).containsEntry("owner", "me")
          .containsEntry(ObjectStore.WRITE_ID, written.metadata().get(ObjectStore.WRITE_ID));
      assertThat(text(store, "lake/catalog.sqlite")).isEqualTo("v1");

      ObjectInfo rewritten = put(store, "lake/catalog.sqlite", "v2", Condition.none());
      assertThat(rewritten.version()).isNotEqualTo(written.version());
      assertThat(store.head("missing")).isEmpty();
      try (ReadResult missing = store.read("missing", null)) {
        assertThat(missing.status()).isEqualTo(ReadResult.Status.NOT_FOUND);
      }
      assertThat(store.describe()).isEqualTo("s3://" + bucket);
    }
  }

  @Test
  void conditionsAreEnforcedByTheServer() throws IOException {
    try (S3ObjectStore store = store()) {
      ObjectInfo first = put(store, "k", "one", Condition.ifAbsent());

      assertThatThrownBy(() -> put(store, "k", "two", Condition.ifAbsent()))
          .isInstanceOf(PreconditionFailedException.class)
          .hasMessageContaining("ifAbsent").hasMessageContaining("'k'");
      assertThatThrownBy(() -> put(store, "k", "two", Condition.ifMatch("\"stale\"")))
          .isInstanceOf(PreconditionFailedException.class);
      assertThatThrownBy(() -> put(store, "absent", "x", Condition.ifMatch(first.version())))
          .isInstanceOf(PreconditionFailedException.class);
      assertThat(text(store, "k")).isEqualTo("one");

      ObjectInfo second = put(store, "k", "two", Condition.ifMatch(first.version()));
      assertThat(text(store, "k")).isEqualTo("two");

      assertThatThrownBy(() -> store.delete("k", Condition.ifMatch(first.version())))
          .isInstanceOf(PreconditionFailedException.class);
      assertThat(store.head("k")).isPresent();
      store.delete("k", Condition.ifMatch(second.version()));
      assertThat(store.head("k")).isEmpty();
      store.delete("k", Condition.none());
    }
  }

  @Test
  void conditionalGetAnswersNotModifiedForTheCurrentVersion() throws IOException {
    try (S3ObjectStore store = store()) {
      ObjectInfo first = put(store, "k", "one", Condition.none());
      try (ReadResult same = store.read("k", first.version())) {
        assertThat(same.status()).isEqualTo(ReadResult.Status.NOT_MODIFIED);
        assertThat(same.info().version()).isEqualTo(first.version());
        assertThat(same.info().size()).isEqualTo(3);
      }
      put(store, "k", "two!", Condition.none());
      try (ReadResult changed = store.read("k", first.version())) {
        assertThat(changed.status()).isEqualTo(ReadResult.Status.FOUND);
        assertThat(new String(changed.content().readAllBytes(), UTF_8)).isEqualTo("two!");
      }
    }
  }

  @Test
  void listsByPrefixInKeyOrder() throws IOException {
    try (S3ObjectStore store = store()) {
      for (String key : List.of("lake/c.sqlite.lock", "lake/c.sqlite", "other/x", "lake/a")) {
        put(store, key, key, Condition.none());
      }
      assertThat(store.list("lake/")).extracting(ObjectInfo::key)
          .containsExactly("lake/a", "lake/c.sqlite", "lake/c.sqlite.lock");
      assertThat(store.list("lake/c.sqlite.")).singleElement()
          .satisfies(info -> assertThat(info.size()).isEqualTo("lake/c.sqlite.lock".length()));
    }
  }

  @Test
  void streamsA64MibObjectInPartsWithBoundedMemory() throws IOException {
    assertStreamsWithBoundedMemory(64L * MIB);
  }

  @Test
  void streamsA256MibObjectInPartsWithBoundedMemory() throws IOException {
    assumeTrue(Boolean.getBoolean("lea.test.large"),
        "256 MiB upload runs only with -Dlea.test.large=true");
    assertStreamsWithBoundedMemory(256L * MIB);
  }

  /**
   * Uploads generated content, never held whole, and measures the live heap halfway through the
   * upload against the heap before it. The store may hold its part buffers (the parts in flight
   * plus the one being filled), and the in-process server receives the parts in flight into
   * buffers of its own; little else.
   */
  private void assertStreamsWithBoundedMemory(long size) throws IOException {
    long parts = SMALL_PARTS.partSize();
    long allowedGrowth = (SMALL_PARTS.parallelParts() + 1) * parts
        + SMALL_PARTS.parallelParts() * parts + 8L * MIB;
    AtomicLong halfway = new AtomicLong();
    GeneratedContent content = new GeneratedContent(size, 42, -1,
        () -> halfway.set(liveHeap()));
    try (S3ObjectStore store = store(SMALL_PARTS)) {
      // Warm up the client and the server first, so that only the upload's own memory counts.
      store.put("warm-up", GeneratedContent.of(11L * MIB), 11L * MIB, Map.of(), Condition.none());
      long before = liveHeap();
      ObjectInfo info = store.put("big.bin", content, size, Map.of(), Condition.ifAbsent());

      assertThat(halfway.get()).as("live heap halfway through the upload").isPositive();
      assertThat(halfway.get() - before).as("heap growth while uploading %d bytes", size)
          .isLessThan(allowedGrowth);
      assertThat(info.size()).isEqualTo(size);
      assertThat(store.head("big.bin").orElseThrow().size()).isEqualTo(size);
      try (ReadResult read = store.read("big.bin", null)) {
        assertThat(GeneratedContent.sha256Hex(read.content())).isEqualTo(content.sha256Hex());
      }
      assertNoUploadsLeft();
    }
  }

  private static long liveHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  @Test
  void writesStreamsOfUnknownLength() throws IOException {
    try (S3ObjectStore store = store(SMALL_PARTS)) {
      store.put("small", new ByteArrayInputStream("tiny".getBytes(UTF_8)), -1, Map.of(),
          Condition.ifAbsent());
      assertThat(text(store, "small")).isEqualTo("tiny");

      GeneratedContent content = GeneratedContent.of(12L * MIB + 7);
      ObjectInfo info = store.put("large", content, -1, Map.of("a", "b"), Condition.ifAbsent());
      assertThat(info.size()).isEqualTo(12L * MIB + 7);
      ObjectInfo head = store.head("large").orElseThrow();
      assertThat(head.size()).isEqualTo(12L * MIB + 7);
      assertThat(head.version()).isEqualTo(info.version());
      assertThat(head.metadata()).containsEntry("a", "b");
      try (ReadResult read = store.read("large", null)) {
        assertThat(GeneratedContent.sha256Hex(read.content())).isEqualTo(content.sha256Hex());
      }
      assertNoUploadsLeft();
    }
  }

  @Test
  void multipartWritesHonourConditions() throws IOException {
    try (S3ObjectStore store = store(SMALL_PARTS)) {
      ObjectInfo first = store.put("k", GeneratedContent.of(11L * MIB), 11L * MIB, Map.of(),
          Condition.ifAbsent());
      assertThatThrownBy(() -> store.put("k", GeneratedContent.of(11L * MIB), 11L * MIB,
          Map.of(), Condition.ifAbsent())).isInstanceOf(PreconditionFailedException.class);
      ObjectInfo second = store.put("k", new GeneratedContent(11L * MIB, 7, -1, () -> { }),
          11L * MIB, Map.of(), Condition.ifMatch(first.version()));
      assertThat(second.version()).isNotEqualTo(first.version());
      assertThatThrownBy(() -> store.put("k", GeneratedContent.of(11L * MIB), 11L * MIB,
          Map.of(), Condition.ifMatch(first.version())))
          .isInstanceOf(PreconditionFailedException.class);
      assertThat(store.head("k").orElseThrow().version()).isEqualTo(second.version());
      assertNoUploadsLeft();
    }
  }

  @Test
  void aFailingStreamAbortsTheUploadAndLeavesNoParts() throws IOException {
    try (S3ObjectStore store = store(SMALL_PARTS)) {
      InputStream failing = new GeneratedContent(40L * MIB, 1, 17L * MIB, () -> { });
      assertThatThrownBy(() -> store.put("k", failing, 40L * MIB, Map.of(), Condition.none()))
          .isInstanceOf(IOException.class).hasMessageContaining("generated failure");

      assertNoUploadsLeft();
      assertThat(store.head("k")).isEmpty();
    }
  }

  @Test
  void aStreamShorterThanAnnouncedAbortsTheUpload() throws IOException {
    try (S3ObjectStore store = store(SMALL_PARTS)) {
      assertThatThrownBy(() -> store.put("k", GeneratedContent.of(12L * MIB), 20L * MIB,
          Map.of(), Condition.none()))
          .isInstanceOf(IOException.class)
          .hasMessage("Cannot write s3://" + bucket + "/k: the stream held 12582912 bytes, not"
              + " the 20971520 announced.");
      assertThatThrownBy(() -> store.put("small", new ByteArrayInputStream(new byte[3]), 4,
          Map.of(), Condition.none()))
          .hasMessage("Cannot write s3://" + bucket + "/small: the stream does not hold the 4"
              + " bytes announced.");

      assertNoUploadsLeft();
      assertThat(store.head("k")).isEmpty();
      assertThat(store.head("small")).isEmpty();
    }
  }

  private void assertNoUploadsLeft() {
    try (S3Client client = server.newClient()) {
      assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
  }

  @Test
  void exactlyOneOfSixteenRacingCreatorsWins() throws Exception {
    int writers = 16;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    AtomicInteger refused = new AtomicInteger();
    try (S3ObjectStore store = store()) {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String body = "writer-" + i;
        outcomes.add(pool.submit(() -> {
          start.await();
          try {
            put(store, "lake/catalog.sqlite.lock", body, Condition.ifAbsent());
            return body;
          } catch (PreconditionFailedException e) {
            refused.incrementAndGet();
            return null;
          }
        }));
      }
      List<String> winners = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        String winner = outcome.get();
        if (winner != null) {
          winners.add(winner);
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(refused).hasValue(writers - 1);
      assertThat(text(store, "lake/catalog.sqlite.lock")).isEqualTo(winners.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRetriedCreateWhoseFirstAnswerWasLostRecognisesItsOwnWrite() throws Exception {
    try (FaultProxy lossy = losingTheFirstPutAnswer();
        S3ObjectStore store = new S3ObjectStore("s3", bucket,
            server.newClient(lossy.endpoint()), UploadTuning.DEFAULT)) {
      ObjectInfo info = put(store, "lake/catalog.sqlite.lock", "mine", Condition.ifAbsent());

      assertThat(lossy.injected()).as("answers lost on the way").isEqualTo(1);
      assertThat(info.version())
          .isEqualTo(store.head("lake/catalog.sqlite.lock").orElseThrow().version());
      assertThat(text(store, "lake/catalog.sqlite.lock")).isEqualTo("mine");
    }
  }

  @Test
  void aRetriedReplaceWhoseFirstAnswerWasLostRecognisesItsOwnWrite() throws Exception {
    ObjectInfo first;
    try (S3ObjectStore direct = store()) {
      first = put(direct, "k", "one", Condition.none());
    }
    try (FaultProxy lossy = losingTheFirstPutAnswer();
        S3ObjectStore store = new S3ObjectStore("s3", bucket,
            server.newClient(lossy.endpoint()), UploadTuning.DEFAULT)) {
      ObjectInfo second = put(store, "k", "two", Condition.ifMatch(first.version()));

      assertThat(lossy.injected()).isEqualTo(1);
      assertThat(second.version()).isNotEqualTo(first.version());
      assertThat(text(store, "k")).isEqualTo("two");
    }
  }

  /** A relay to the server that lets it carry out the first PUT but loses its answer. */
  private FaultProxy losingTheFirstPutAnswer() throws IOException {
    FaultProxy proxy = new FaultProxy(server.endpoint(), Unavailable.S3_SLOW_DOWN);
    proxy.inject(Fault.LOSE_RESPONSE, "PUT", 1, 0);
    return proxy;
  }

  @Test
  void aMissingBucketIsNamed() throws IOException {
    try (S3ObjectStore store = new S3ObjectStore("s3", "no-such-bucket", server.newClient())) {
      String where = "the bucket does not exist at " + server.endpoint()
          + ". Create it, or correct the bucket name in the URL.";
      assertThatThrownBy(() -> put(store, "k", "x", Condition.none()))
          .isInstanceOfSatisfying(LeaException.class,
              e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
          .hasMessage("Cannot write s3://no-such-bucket/k: " + where);
      assertThatThrownBy(() -> store.read("k", null))
          .hasMessage("Cannot read s3://no-such-bucket/k: " + where);
      assertThatThrownBy(() -> store.head("k"))
          .hasMessage("Cannot read s3://no-such-bucket/k: " + where);
      assertThatThrownBy(() -> store.list("lake/"))
          .hasMessage("Cannot list s3://no-such-bucket/lake/*: " + where);
    }
  }

  @Test
  void anUnreachableEndpointIsNamed() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    try (S3ObjectStore store = new S3ObjectStore("s3", bucket, server.newClient(nowhere))) {
      assertThatThrownBy(() -> store.head("k"))
          .isInstanceOfSatisfying(LeaException.class,
              e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.INFRASTRUCTURE))
          .hasMessageStartingWith("Cannot read s3://" + bucket + "/k: the endpoint " + nowhere
              + " cannot be reached (")
          .hasMessageEndingWith("). Check LEA_S3_ENDPOINT (lea.s3.endpoint) or"
              + " AWS_ENDPOINT_URL_S3, and the network.");
    }
  }

  @Test
  void wrongCredentialsAreReportedWithoutTheSecret() throws IOException {
    String secret = "not-the-secret-" + System.nanoTime();
    S3Client client = server.settings().newClient(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, secret)));
    try (S3ObjectStore store = new S3ObjectStore("s3", bucket, client)) {
      assertThatThrownBy(() -> put(store, "k", "x", Condition.none()))
          .isInstanceOfSatisfying(LeaException.class,
              e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
          .hasMessageStartingWith("Cannot write s3://" + bucket + "/k: access denied (")
          .hasMessageContaining("Check the credentials the AWS SDK found")
          .hasMessageNotContaining(secret);
    }
  }

  @Test
  void theProviderOpensBucketsFromLeaConfiguration(@TempDir Path project) throws IOException {
    LeaConfig config = LeaConfig.defaults(project)
        .with(S3Settings.S3_ENDPOINT, server.endpoint().toString())
        .with(S3Settings.S3_REGION, "us-east-1")
        .with(S3Settings.S3_PATH_STYLE, "true");
    withSdkCredentialProperties(() -> {
      try (ObjectStore store = ObjectStores.open(
          Location.parse("s3://" + bucket + "/lake/catalog.sqlite", project), config)) {
        assertThat(store).isInstanceOf(S3ObjectStore.class);
        put(store, "lake/catalog.sqlite", "via provider", Condition.ifAbsent());
        assertThat(text(store, "lake/catalog.sqlite")).isEqualTo("via provider");
      }
    });
  }

  @Test
  void theSdksOwnEndpointSettingIsHonouredWhenLeaSetsNone(@TempDir Path project)
      throws IOException {
    // AWS_ENDPOINT_URL_S3 and the aws.endpointUrlS3 system property are read by the same SDK
    // code; a test can only set the property.
    LeaConfig config = LeaConfig.defaults(project)
        .with(S3Settings.S3_REGION, "us-east-1")
        .with(S3Settings.S3_PATH_STYLE, "true");
    String previous = System.setProperty("aws.endpointUrlS3", server.endpoint().toString());
    try {
      withSdkCredentialProperties(() -> {
        try (ObjectStore store = ObjectStores.open(
            Location.parse("s3://" + bucket + "/k", project), config)) {
          put(store, "k", "via AWS_ENDPOINT_URL_S3", Condition.none());
        }
      });
      try (S3ObjectStore direct = store()) {
        assertThat(text(direct, "k")).isEqualTo("via AWS_ENDPOINT_URL_S3");
      }
    } finally {
      restore("aws.endpointUrlS3", previous);
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  /** The SDK's default chain reads aws.accessKeyId/aws.secretAccessKey before the environment. */
  private static void withSdkCredentialProperties(IoAction action) throws IOException {
    String id = System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    String secret = System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    try {
      action.run();
    } finally {
      restore("aws.accessKeyId", id);
      restore("aws.secretAccessKey", secret);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
