package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.internal.LocalFiles;
import dev.lea.spi.LeaException;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedGcTest {

  private static final String KEY = "lake/catalog.sqlite";
  private static final String PREFIX = KEY + ".chunks/";
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path local;
  @TempDir Path bucket;

  private final Chunker chunker = new Chunker(1024, 4096, 16384);
  private final ChunkedTransport transport = new ChunkedTransport(1024, 4096, 16384);
  private RecordingStore store;
  private Path v1File;
  private Path v2File;
  private ObjectInfo v1;

  @BeforeEach
  void uploadFirstVersion() throws IOException {
    store = new RecordingStore(ObjectStores.file(bucket));
    v1File = random("v1.sqlite", 200 * 1024, 1);
    v2File = Files.copy(v1File, local.resolve("v2.sqlite"));
    try (FileChannel channel = FileChannel.open(v2File, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[64]), 100_000);
    }
    v1 = upload(v1File, Condition.ifAbsent());
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
  }

  @Test
  void deletesOldUnreferencedChunksAndNeverAReferencedOne() throws IOException {
    upload(v2File, Condition.ifMatch(v1.version()));
    Set<String> v1Keys = chunkKeys(v1File);
    Set<String> v2Keys = chunkKeys(v2File);
    Set<String> onlyV1 = new HashSet<>(v1Keys);
    onlyV1.removeAll(v2Keys);

    GcResult result = ChunkedGc.collect(store, KEY, DAY, inTwoDays());

    assertThat(onlyV1).isNotEmpty().hasSizeLessThan(v1Keys.size());
    assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(onlyV1);
    assertThat(result.referenced()).isEqualTo(v2Keys.size());
    assertThat(result.keptWithinGrace()).isZero();
    assertThat(result.deletedBytes()).isEqualTo(
        chunker.chunks(v1File).stream().filter(c -> onlyV1.contains(PREFIX + c.sha256()))
            .mapToLong(Chunker.Chunk::length).sum());
    assertThat(storedChunks()).containsExactlyInAnyOrderElementsOf(v2Keys);
    assertThat(download()).hasSameBinaryContentAs(v2File);
  }

  @Test
  void keepsUnreferencedChunksWithinTheGracePeriod() throws IOException {
    upload(v2File, Condition.ifMatch(v1.version()));
    Set<String> before = storedChunks();
    Clock now = Clock.systemUTC();

    GcResult young = ChunkedGc.collect(store, KEY, Duration.ofHours(1), now);

    assertThat(young.deleted()).isEmpty();
    assertThat(young.keptWithinGrace()).isEqualTo(before.size() - chunkKeys(v2File).size())
        .isPositive();
    assertThat(storedChunks()).isEqualTo(before);

    GcResult old = ChunkedGc.collect(store, KEY, Duration.ofHours(1),
        Clock.offset(now, Duration.ofHours(2)));

    assertThat(old.deleted()).hasSize(young.keptWithinGrace());
    assertThat(old.keptWithinGrace()).isZero();
  }

  @Test
  void publicCollectionRefusesAGracePeriodShorterThanTheMinimum() throws IOException {
    upload(v2File, Condition.ifMatch(v1.version()));
    Set<String> before = storedChunks();

    assertThatThrownBy(() -> ChunkedGc.collect(store, KEY, Duration.ofHours(1)))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot collect chunks of " + store.describe() + "/" + KEY + ": the grace"
            + " period PT1H is shorter than PT24H, within which an upload under way may still"
            + " reference an unreferenced chunk. Use a grace period of at least PT24H.");

    GcResult result = ChunkedGc.collect(store, KEY, ChunkedGc.MIN_GRACE);

    assertThat(result.deleted()).isEmpty();
    assertThat(result.keptWithinGrace()).isPositive();
    assertThat(storedChunks()).isEqualTo(before);
  }

  @Test
  void aWriterCommittingDuringTheCollectionIsNotRobbedOfItsChunks() throws IOException {
    Path v3File = random("v3.sqlite", 200 * 1024, 3);
    store.atNextList(() -> upload(v3File, Condition.ifMatch(v1.version())));

    GcResult result = ChunkedGc.collect(store, KEY, DAY, inTwoDays());

    assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(chunkKeys(v1File));
    assertThat(storedChunks()).containsExactlyInAnyOrderElementsOf(chunkKeys(v3File));
    assertThat(download()).hasSameBinaryContentAs(v3File);
  }

  @Test
  void aChunkWrittenAgainDuringTheCollectionIsKept() throws IOException {
    upload(v2File, Condition.ifMatch(v1.version()));
    Set<String> onlyV1 = new HashSet<>(chunkKeys(v1File));
    onlyV1.removeAll(chunkKeys(v2File));
    String rewritten = onlyV1.iterator().next();
    // After the listing, a writer that found the chunk too old to trust stores it again.
    store.atNextHead(() -> rewrite(rewritten));

    GcResult result = ChunkedGc.collect(store, KEY, DAY, inTwoDays());

    Set<String> expected = new HashSet<>(onlyV1);
    expected.remove(rewritten);
    assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(result.keptWithinGrace()).isEqualTo(1);
    assertThat(store.head(rewritten)).isPresent();
  }

  @Test
  void aDamagedManifestStopsTheCollectionBeforeAnyDeletion() throws IOException {
    upload(v2File, Condition.ifMatch(v1.version()));
    Set<String> before = storedChunks();
    ObjectInfo manifest = store.head(KEY).orElseThrow();
    byte[] bytes;
    try (ReadResult read = store.read(KEY, null)) {
      bytes = read.content().readAllBytes();
    }
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    store.put(KEY, new ByteArrayInputStream(truncated), truncated.length, manifest.metadata(),
        Condition.none());

    assertThatThrownBy(() -> ChunkedGc.collect(store, KEY, DAY, inTwoDays()))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/" + KEY
            + ": its manifest's SHA-256 is ");
    assertThat(storedChunks()).isEqualTo(before);
  }

  @Test
  void aCatalogNowWrittenByAnotherTransportReferencesNoChunk() throws IOException {
    CatalogFile catalog = new CatalogFile(LocalFiles.sha256(v2File), Files.size(v2File),
        "sqlite");
    new ObjectCopyTransport().upload(store, KEY, v2File, catalog, Condition.ifMatch(v1.version()));

    GcResult result = ChunkedGc.collect(store, KEY, DAY, inTwoDays());

    assertThat(result.referenced()).isZero();
    assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(chunkKeys(v1File));
    assertThat(storedChunks()).isEmpty();
    assertThat(store.head(KEY)).isPresent();
  }

  @Test
  void keysThatAreNotChunksAreLeftAlone() throws IOException {
    String stranger = PREFIX + "notes.txt";
    store.put(stranger, new ByteArrayInputStream(new byte[] {1}), 1, Map.of(), Condition.none());
    store.delete(KEY, Condition.none());

    GcResult result = ChunkedGc.collect(store, KEY, DAY, inTwoDays());

    assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(chunkKeys(v1File));
    assertThat(store.head(stranger)).isPresent();
  }

  private void rewrite(String key) throws IOException {
    ObjectInfo info = store.head(key).orElseThrow();
    byte[] bytes;
    try (ReadResult read = store.read(key, null)) {
      bytes = read.content().readAllBytes();
    }
    store.put(key, new ByteArrayInputStream(bytes), bytes.length, info.metadata(),
        Condition.none());
  }

  private static Clock inTwoDays() {
    return Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
  }

  private Set<String> chunkKeys(Path file) throws IOException {
    return chunker.chunks(file).stream().map(c -> PREFIX + c.sha256())
        .collect(Collectors.toSet());
  }

  private Set<String> storedChunks() throws IOException {
    List<ObjectInfo> stored = store.list(PREFIX);
    return stored.stream().map(ObjectInfo::key).collect(Collectors.toSet());
  }

  private ObjectInfo upload(Path file, Condition condition) throws IOException {
    CatalogFile catalog = new CatalogFile(LocalFiles.sha256(file), Files.size(file), "sqlite");
    return transport.upload(store, KEY, file, catalog, condition);
  }

  private Path download() throws IOException {
    Path target = Files.createTempDirectory(local, "download-").resolve("catalog.sqlite");
    Download download = transport.download(store, KEY, target, null);
    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    return target;
  }


  private Path random(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Path file = local.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }
}
