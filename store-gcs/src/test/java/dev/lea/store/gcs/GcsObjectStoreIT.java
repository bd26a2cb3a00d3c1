package dev.lea.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import dev.lea.testing.FakeGcsServer;
import dev.lea.testing.GeneratedContent;
import dev.lea.testing.HeapPeak;
import dev.lea.testing.Race;
import dev.lea.transport.CatalogMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gs:// store through the real google-cloud-storage client against the in-process fake. */
class GcsObjectStoreIT {

  private static final String BUCKET = "lake-bucket";
  private static final int MIB = 1024 * 1024;
  private static final int RACERS = 16;

  private FakeGcsServer fake;
  private GcsObjectStore store;

  @BeforeEach
  void start() throws IOException {
    fake = FakeGcsServer.start();
    fake.createBucket(BUCKET);
    store = FakeGcs.store(fake, BUCKET);
  }

  @AfterEach
  void stop() throws IOException {
    store.close();
    fake.close();
  }

  @Test
  void claimsEveryAtomicCapability() {
    assertThat(store.capabilities()).containsExactlyInAnyOrder(Capability.ATOMIC_IF_ABSENT,
        Capability.ATOMIC_IF_MATCH, Capability.CONDITIONAL_DELETE, Capability.CONDITIONAL_GET,
        Capability.LIST, Capability.CRC32C);
    assertThat(store.describe()).isEqualTo("gs://" + BUCKET);
  }

  @Test
  void streams32MiBUpAndDownWithHeapFarBelowTheObjectSize() throws IOException {
    int size = 32 * MIB;
    try (GcsObjectStore chunked = new GcsObjectStore(FakeGcs.client(fake.endpoint()), BUCKET, MIB)) {
      HeapPeak uploadPeak = new HeapPeak();
      GeneratedContent source = GeneratedContent.of(size, 42).sampling(4L * MIB, uploadPeak::sample);
      ObjectInfo written = chunked.put("big.bin", source, size, Map.of(), Condition.ifAbsent());

      assertThat(written.size()).isEqualTo(size);
      assertThat(uploadPeak.growth()).as("heap growth while uploading %d bytes", size)
          .isLessThan(8L * MIB);
      assertThat(fake.requests()).as("one resumable request per 1 MiB chunk, then finalize")
          .filteredOn(line -> line.startsWith("PUT /upload/"))
          .hasSize(33)
          .last().asString().endsWith("[bytes */" + size + "] -> 200");

      HeapPeak downloadPeak = new HeapPeak();
      try (ReadResult read = chunked.read("big.bin", null)) {
        assertThat(read.info().version()).isEqualTo(written.version());
        assertThat(GeneratedContent.sha256Hex(read.content(), 4L * MIB, downloadPeak::sample))
            .isEqualTo(source.sha256Hex());
      }
      assertThat(downloadPeak.growth()).as("heap growth while downloading %d bytes", size)
          .isLessThan(8L * MIB);
    }
  }

  @Test
  void sixteenResumableReplacementsOfOneGenerationHaveExactlyOneWinner() throws Exception {
    String base = put("shared", "base", Condition.none()).version();

    // Unknown lengths take the resumable path, so the race is decided when sessions finalize.
    List<Object> outcomes = race(i -> store.put("shared",
        new ByteArrayInputStream(("racer " + i).getBytes(StandardCharsets.UTF_8)), -1, Map.of(),
        Condition.ifMatch(base)));

    List<ObjectInfo> winners = winners(outcomes);
    assertThat(winners).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !(o instanceof ObjectInfo)).hasSize(RACERS - 1)
        .allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(PreconditionFailedException.class,
            e -> assertThat(e.condition()).isEqualTo(Condition.ifMatch(base))));
    assertThat(fake.generation(BUCKET, "shared"))
        .contains(Long.parseLong(winners.get(0).version()));
    assertThat(fake.requests()).filteredOn(line -> line.startsWith("POST")
        && line.contains("uploadType=resumable")).hasSize(RACERS);
  }

  @Test
  void sixteenCreatesIfAbsentHaveExactlyOneWinner() throws Exception {
    List<Object> outcomes = race(i -> put("lock", "racer " + i, Condition.ifAbsent()));

    List<ObjectInfo> winners = winners(outcomes);
    assertThat(winners).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !(o instanceof ObjectInfo)).hasSize(RACERS - 1)
        .allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(PreconditionFailedException.class,
            e -> assertThat(e).hasMessageContaining("lock").hasMessageContaining("ifAbsent")));
    assertThat(store.head("lock").orElseThrow().version()).isEqualTo(winners.get(0).version());
  }

  @Test
  void metadataRoundTripsThroughHeadReadAndList() throws IOException {
    Map<String, String> metadata = Map.of(
        CatalogMetadata.SHA256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        CatalogMetadata.FORMAT, "sqlite",
        ObjectStore.WRITE_ID, "write-1",
        "note", "spaces, commas = and ünïcode");

    ObjectInfo written = put("lake/catalog.sqlite", "catalog bytes", metadata, Condition.ifAbsent());

    assertThat(written.metadata()).isEqualTo(metadata);
    assertThat(store.head("lake/catalog.sqlite").orElseThrow().metadata()).isEqualTo(metadata);
    try (ReadResult read = store.read("lake/catalog.sqlite", null)) {
      assertThat(read.info().metadata()).isEqualTo(metadata);
    }
    assertThat(store.list("lake/")).singleElement()
        .satisfies(info -> assertThat(info.metadata()).isEqualTo(metadata));
  }

  @Test
  void conditionalWritesGetAWriteIdWhenTheCallerGaveNone() throws IOException {
    ObjectInfo created = put("a", "x", Map.of("k", "v"), Condition.ifAbsent());
    ObjectInfo plain = put("b", "x", Map.of("k", "v"), Condition.none());

    assertThat(created.metadata()).containsEntry("k", "v").containsKey(ObjectStore.WRITE_ID);
    assertThat(plain.metadata()).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void versionIsTheGenerationAndConditionalGetUsesIt() throws IOException {
    ObjectInfo written = put("obj", "one", Condition.none());

    assertThat(fake.generation(BUCKET, "obj")).contains(Long.parseLong(written.version()));
    try (ReadResult same = store.read("obj", written.version())) {
      assertThat(same.status()).isEqualTo(ReadResult.Status.NOT_MODIFIED);
      assertThat(same.info()).isEqualTo(written);
    }
    assertThat(fake.requests()).noneMatch(line -> line.contains("alt=media"));
    ObjectInfo replaced = put("obj", "two", Condition.ifMatch(written.version()));
    try (ReadResult changed = store.read("obj", written.version())) {
      assertThat(changed.status()).isEqualTo(ReadResult.Status.FOUND);
      assertThat(changed.info().version()).isEqualTo(replaced.version());
      assertThat(new String(changed.content().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("two");
    }
    assertThat(fake.requests()).anyMatch(line -> line.contains("alt=media")
        && line.contains("generation=" + replaced.version()));
  }

  @Test
  void aRetriedCreateThatMeetsItsOwnWriteSucceeds() throws IOException {
    fake.loseNextCommitResponse();

    ObjectInfo created = put("lock", "mine", Condition.ifAbsent());

    assertThat(fake.requests()).filteredOn(line -> line.startsWith("POST /upload/"))
        .extracting(line -> line.substring(line.lastIndexOf(' ') + 1))
        .containsExactly("503", "412");
    assertThat(created.version()).isEqualTo(store.head("lock").orElseThrow().version());
    assertThatThrownBy(() -> put("lock", "someone else", Condition.ifAbsent()))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void aRetriedResumableUploadThatLostItsLastResponseSucceeds() throws IOException {
    fake.loseNextCommitResponse();
    byte[] content = new byte[GcsObjectStore.SINGLE_REQUEST_LIMIT + 1];

    ObjectInfo written = store.put("catalog", new ByteArrayInputStream(content), content.length,
        Map.of(), Condition.ifAbsent());

    assertThat(written.size()).isEqualTo(content.length);
    assertThat(fake.requests()).anyMatch(line -> line.endsWith("-> 503"));
    assertThat(store.head("catalog").orElseThrow().version()).isEqualTo(written.version());
  }

  @Test
  void deleteHonoursTheGeneration() throws IOException {
    ObjectInfo first = put("obj", "one", Condition.none());
    ObjectInfo second = put("obj", "two", Condition.none());

    assertThatThrownBy(() -> store.delete("obj", Condition.ifMatch(first.version())))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("obj");
    store.delete("obj", Condition.ifMatch(second.version()));
    assertThat(store.head("obj")).isEmpty();
    assertThatThrownBy(() -> store.delete("obj", Condition.ifAbsent()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot delete gs://" + BUCKET + "/obj: ifAbsent is no condition for a"
            + " delete. Use none or ifMatch(version).");
  }

  @Test
  void aMissingBucketIsNamedForEveryOperation() throws IOException {
    try (GcsObjectStore missing = FakeGcs.store(fake, "no-such-bucket")) {
      String advice = "bucket 'no-such-bucket' does not exist. Create it (gcloud storage buckets"
          + " create gs://no-such-bucket) or fix the catalog URL.";

      assertThatThrownBy(() -> missing.head("k"))
          .isInstanceOfSatisfying(LeaException.class,
              e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
          .hasMessage("Cannot read gs://no-such-bucket/k: " + advice);
      assertThatThrownBy(() -> missing.put("k", new ByteArrayInputStream(new byte[3]), 3,
          Map.of(), Condition.ifAbsent()))
          .isInstanceOf(LeaException.class)
          .hasMessage("Cannot write gs://no-such-bucket/k: " + advice);
      assertThatThrownBy(() -> missing.put("big", new ByteArrayInputStream(new byte[3]), -1,
          Map.of(), Condition.none()))
          .isInstanceOf(LeaException.class)
          .hasMessage("Cannot write gs://no-such-bucket/big: " + advice);
      assertThatThrownBy(() -> missing.list("lake/"))
          .isInstanceOf(LeaException.class)
          .hasMessage("Cannot list gs://no-such-bucket/lake/*: " + advice);
    }
  }

  @Test
  void accessDeniedSaysWhatToGrant() {
    fake.denyAccess(true);

    assertThatThrownBy(() -> put("k", "x", Condition.ifAbsent()))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessageStartingWith("Cannot write gs://" + BUCKET + "/k: access denied (403: ")
        .hasMessageContaining("does not have storage.objects.get access")
        .hasMessageEndingWith("Grant the account storage object access on bucket '" + BUCKET
            + "' (roles/storage.objectUser), or use a catalog URL in a bucket it may use.");
  }

  @Test
  void anUnreachableEndpointIsNamed() throws IOException {
    String endpoint;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      endpoint = "http://127.0.0.1:" + socket.getLocalPort();
    }
    try (GcsObjectStore unreachable = new GcsObjectStore(FakeGcs.client(endpoint), BUCKET)) {
      assertThatThrownBy(() -> unreachable.head("k"))
          .isInstanceOfSatisfying(LeaException.class,
              e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.INFRASTRUCTURE))
          .hasMessageStartingWith("Cannot read gs://" + BUCKET + "/k: the GCS endpoint "
              + endpoint + " is unreachable (ConnectException: ")
          .hasMessageEndingWith("Check the network, and lea.gcs.endpoint (LEA_GCS_ENDPOINT)"
              + " when using an emulator.");
    }
  }

  @Test
  void theProviderOpensGsUrlsAgainstTheConfiguredEndpoint(@TempDir Path project) throws IOException {
    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .environment(Map.of("LEA_GCS_ENDPOINT", fake.endpoint())).resolve();
    Location location = Location.parse("gs://" + BUCKET + "/lake/catalog.sqlite", project);

    try (ObjectStore opened = ObjectStores.open(location, config)) {
      assertThat(opened).isInstanceOf(GcsObjectStore.class);
      assertThat(opened.describe()).isEqualTo("gs://" + BUCKET);
      opened.put(location.key(), new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, Map.of(),
          Condition.ifAbsent());
    }
    assertThat(fake.generation(BUCKET, "lake/catalog.sqlite")).isPresent();
    assertThat(ObjectStores.schemes()).contains("gs");
  }

  @Test
  void aMalformedEndpointIsRejectedBeforeAnyRequest(@TempDir Path project) {
    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .environment(Map.of("LEA_GCS_ENDPOINT", "localhost:4443")).resolve();

    assertThatThrownBy(() -> ObjectStores.open(Location.parse("gs://b/k", project), config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot open gs://b: lea.gcs.endpoint (LEA_GCS_ENDPOINT) 'localhost:4443' is"
            + " not an http(s) URL. Give the emulator's base URL, e.g. http://localhost:4443, or"
            + " unset it to use Google Cloud Storage.");
  }

  // ---------------------------------------------------------------------------------------------

  private ObjectInfo put(String key, String content, Condition condition) throws IOException {
    return put(key, content, Map.of(), condition);
  }

  private ObjectInfo put(String key, String content, Map<String, String> metadata,
      Condition condition) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return store.put(key, new ByteArrayInputStream(bytes), bytes.length, metadata, condition);
  }

  /** Each racer's result: its {@link ObjectInfo}, or the exception that made it lose. */
  private static List<Object> race(Race.Racer racer) throws Exception {
    return Race.run(RACERS, racer);
  }

  private static List<ObjectInfo> winners(List<Object> outcomes) {
    return outcomes.stream().filter(ObjectInfo.class::isInstance).map(ObjectInfo.class::cast)
        .toList();
  }
}
