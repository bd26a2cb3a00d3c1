package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStores;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedTransportTest {

  private static final int MIB = 1024 * 1024;
  private static final String KEY = "lake/catalog.sqlite";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path local;
  @TempDir Path bucket;

  private RecordingStore store;
  /** Small chunks, so files of a few hundred KiB have dozens of them. */
  private final ChunkedTransport small = new ChunkedTransport(1024, 4096, 16384);

  @BeforeEach
  void openStore() {
    store = new RecordingStore(ObjectStores.file(bucket));
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
  }

  /** Random bytes (fixed seed) with 16 bytes changed in place: about one chunk changes. */
  @Test
  void smallChangeToA64MibFileSendsAtMostATwentiethOfIt() throws IOException {
    ChunkedTransport transport = new ChunkedTransport();
    Path catalog = random("catalog.sqlite", 64 * MIB, 11);
    ObjectInfo v1 = upload(transport, catalog, Condition.ifAbsent(), "none");
    long firstUpload = store.bytesPut();
    overwrite(catalog, 40_000_000L, new byte[16]);
    store.reset();

    upload(transport, catalog, Condition.ifMatch(v1.version()), "none");

    assertThat(firstUpload).isGreaterThanOrEqualTo(64L * MIB);
    assertThat(store.bytesPut()).as("bytes the store received for the second upload")
        .isLessThanOrEqualTo(64L * MIB / 20);
    assertThat(download(transport, "downloaded.sqlite")).hasSameBinaryContentAs(catalog);
  }

  /**
   * A real SQLite database of 64 MiB (rows of seeded random blobs) and one updated row: SQLite
   * rewrites the row's page and its header page in place.
   */
  @Test
  void oneUpdatedRowOfA64MibSqliteCatalogSendsAtMostATwentiethOfIt()
      throws IOException, SQLException {
    ChunkedTransport transport = new ChunkedTransport();
    Path catalog = local.resolve("catalog.sqlite");
    Random random = new Random(5);
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + catalog)) {
      sqlite.setAutoCommit(false);
      try (Statement statement = sqlite.createStatement()) {
        statement.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
      }
      try (PreparedStatement insert = sqlite.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
        while (Files.size(catalog) < 64L * MIB) {
          for (int i = 0; i < 10_000; i++) {
            // A new array per row: the driver keeps a reference until the batch executes.
            byte[] row = new byte[1000];
            random.nextBytes(row);
            insert.setBytes(1, row);
            insert.addBatch();
          }
          insert.executeBatch();
          sqlite.commit();
        }
      }
    }
    long size = Files.size(catalog);
    ObjectInfo v1 = upload(transport, catalog, Condition.ifAbsent(), "none");
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + catalog);
        PreparedStatement update = sqlite.prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
      byte[] row = new byte[1000];
      random.nextBytes(row);
      update.setBytes(1, row);
      update.setInt(2, 30_000);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    store.reset();

    upload(transport, catalog, Condition.ifMatch(v1.version()), "none");

    assertThat(Files.size(catalog)).isEqualTo(size);
    assertThat(store.bytesPut()).as("bytes the store received for the second upload")
        .isLessThanOrEqualTo(size / 20);
    assertThat(download(transport, "downloaded.sqlite")).hasSameBinaryContentAs(catalog);
  }

  @Test
  void crashBetweenChunksAndManifestLeavesTheOldCatalogAndTheNextUploadSucceeds()
      throws IOException {
    Path v1File = random("v1.sqlite", 256 * 1024, 1);
    ObjectInfo v1 = upload(small, v1File, Condition.ifAbsent(), "zstd");
    Path v2File = copyWithChange(v1File, "v2.sqlite", 100_000);
    store.failPutsTo(KEY::equals);
    store.reset();

    assertThatThrownBy(() -> upload(small, v2File, Condition.ifMatch(v1.version()), "zstd"))
        .isInstanceOf(IOException.class)
        .hasMessage("injected failure writing " + KEY);

    List<RecordingStore.Put> chunkPuts = store.puts().stream()
        .filter(p -> p.key().startsWith(KEY + ".chunks/") && p.outcome().equals("WRITTEN"))
        .toList();
    assertThat(chunkPuts).as("the new chunks were stored before the manifest failed").isNotEmpty();
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(v1.version());
    assertThat(download(small, "after-crash.sqlite")).hasSameBinaryContentAs(v1File);

    store.failPutsTo(key -> false);
    store.reset();
    ObjectInfo v2 = upload(small, v2File, Condition.ifMatch(v1.version()), "zstd");

    assertThat(store.puts()).as("the retry sends only the manifest")
        .extracting(RecordingStore.Put::key).containsExactly(KEY);
    assertThat(v2.version()).isNotEqualTo(v1.version());
    assertThat(download(small, "after-retry.sqlite")).hasSameBinaryContentAs(v2File);
  }

  @Test
  void manifestListsTheChunksInOrderAndChunksAreStoredOnceCompressed() throws IOException {
    byte[] half = randomBytes(128 * 1024, 2);
    Path file = local.resolve("twice.sqlite");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(half);
      out.write(half);
    }

    upload(small, file, Condition.ifAbsent(), "gzip");

    JsonNode manifest;
    ObjectInfo info;
    try (ReadResult read = store.read(KEY, null)) {
      info = read.info();
      manifest = JSON.readTree(read.content().readAllBytes());
    }
    List<Chunker.Chunk> expected = new Chunker(1024, 4096, 16384).chunks(file);
    assertThat(manifest.get("version").asInt()).isEqualTo(1);
    assertThat(manifest.get("transport").asText()).isEqualTo("chunked");
    assertThat(manifest.get("sha256").asText()).isEqualTo(LocalFiles.sha256(file));
    assertThat(manifest.get("size").asLong()).isEqualTo(256 * 1024);
    assertThat(manifest.get("format").asText()).isEqualTo("sqlite");
    assertThat(manifest.get("chunks")).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonNode chunk = manifest.get("chunks").get(i);
      assertThat(chunk.get("sha256").asText()).isEqualTo(expected.get(i).sha256());
      assertThat(chunk.get("size").asLong()).isEqualTo(expected.get(i).length());
      assertThat(chunk.get("compression").asText()).isEqualTo("gzip");
    }
    assertThat(info.metadata())
        .containsEntry(CatalogMetadata.TRANSPORT, "chunked")
        .containsEntry(CatalogMetadata.SIZE, Integer.toString(256 * 1024));
    Set<String> distinct = expected.stream().map(Chunker.Chunk::sha256)
        .collect(Collectors.toSet());
    assertThat(distinct.size()).as("the repeated half shares its chunks")
        .isLessThan(expected.size());
    List<ObjectInfo> stored = store.list(KEY + ".chunks/");
    assertThat(stored).extracting(o -> o.key().substring((KEY + ".chunks/").length()))
        .containsExactlyInAnyOrderElementsOf(distinct);
    assertThat(stored).allSatisfy(o -> assertThat(o.metadata())
        .containsEntry(CatalogMetadata.COMPRESSION, "gzip"));
    assertThat(store.puts()).filteredOn(p -> p.key().startsWith(KEY + ".chunks/"))
        .hasSize(distinct.size());
  }

  @Test
  void chunksKeepTheCompressionTheyWereStoredWith() throws IOException {
    Path v1File = random("v1.sqlite", 200 * 1024, 3);
    ObjectInfo v1 = upload(small, v1File, Condition.ifAbsent(), "zstd");
    Path v2File = copyWithChange(v1File, "v2.sqlite", 150_000);

    upload(small, v2File, Condition.ifMatch(v1.version()), "none");

    JsonNode chunks;
    try (ReadResult read = store.read(KEY, null)) {
      chunks = JSON.readTree(read.content().readAllBytes()).get("chunks");
    }
    Set<String> compressions = new java.util.HashSet<>();
    chunks.forEach(c -> compressions.add(c.get("compression").asText()));
    assertThat(compressions).containsExactlyInAnyOrder("zstd", "none");
    assertThat(download(small, "mixed.sqlite")).hasSameBinaryContentAs(v2File);
  }

  @Test
  void uploadWithAStaleVersionIsRefusedBeforeItSendsAnyChunk() throws IOException {
    Path v1File = random("v1.sqlite", 100 * 1024, 4);
    ObjectInfo v1 = upload(small, v1File, Condition.ifAbsent(), "none");
    Path other = random("other.sqlite", 100 * 1024, 5);
    store.reset();

    assertThatThrownBy(() -> upload(small, other, Condition.ifMatch("stale"), "none"))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessage("Precondition ifMatch(stale) failed for key '" + KEY + "'");

    assertThat(store.puts()).isEmpty();
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(v1.version());
  }

  @Test
  void uploadOfANewCatalogReadsNoPreviousManifest() throws IOException {
    Path v1File = random("v1.sqlite", 100 * 1024, 4);

    upload(small, v1File, Condition.ifAbsent(), "none");

    assertThat(store.reads()).isEmpty();
    Path other = random("other.sqlite", 100 * 1024, 5);
    assertThatThrownBy(() -> upload(small, other, Condition.ifAbsent(), "none"))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessage("Precondition ifAbsent failed for key '" + KEY + "'");
    assertThat(download(small, "first.sqlite")).hasSameBinaryContentAs(v1File);
  }

  @Test
  void sourceThatNoLongerMatchesItsDescriptionIsNotCommitted() throws IOException {
    Path v1File = random("v1.sqlite", 50 * 1024, 6);
    ObjectInfo v1 = upload(small, v1File, Condition.ifAbsent(), "none");
    Path v2File = random("v2.sqlite", 50 * 1024, 7);
    CatalogFile stale = new CatalogFile(LocalFiles.sha256(v1File), Files.size(v2File), "sqlite");

    assertThatThrownBy(() -> small.upload(store, KEY, v2File, stale,
        Condition.ifMatch(v1.version())))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot upload catalog " + store.describe() + "/" + KEY + ": "
            + v2File + " changed while it was uploaded")
        .hasMessageContaining("expected " + Files.size(v2File) + " bytes and "
            + LocalFiles.sha256(v1File))
        .hasMessageEndingWith("The remote catalog was left as it was; upload again.");
    assertThat(store.head(KEY).orElseThrow().version()).isEqualTo(v1.version());
  }

  @Test
  void downloadReusesTheChunksOfAnOlderTarget() throws IOException {
    Path v1File = random("v1.sqlite", 512 * 1024, 8);
    ObjectInfo v1 = upload(small, v1File, Condition.ifAbsent(), "none");
    Path v2File = copyWithChange(v1File, "v2.sqlite", 300_000);
    upload(small, v2File, Condition.ifMatch(v1.version()), "none");
    Path target = Files.createDirectory(local.resolve("target")).resolve("catalog.sqlite");
    Files.copy(v1File, target);
    store.reset();

    Download download = small.download(store, KEY, target, null);

    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(target).hasSameBinaryContentAs(v2File);
    assertThat(store.reads()).filteredOn(k -> k.startsWith(KEY + ".chunks/"))
        .as("chunks fetched from the store").hasSizeBetween(1, 3);
    assertThat(store.bytesRead()).isLessThan(64 * 1024);
    try (var files = Files.list(target.getParent())) {
      assertThat(files.toList()).containsExactly(target);
    }
  }

  @Test
  void damagedOrMissingChunkIsRefusedAndTheTargetKept() throws IOException {
    Path file = random("v1.sqlite", 100 * 1024, 9);
    upload(small, file, Condition.ifAbsent(), "none");
    List<ObjectInfo> chunks = store.list(KEY + ".chunks/");
    ObjectInfo damaged = chunks.get(chunks.size() / 2);
    byte[] bytes;
    try (ReadResult read = store.read(damaged.key(), null)) {
      bytes = read.content().readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    store.put(damaged.key(), new ByteArrayInputStream(bytes), bytes.length, damaged.metadata(),
        Condition.none());
    Path target = previous();

    assertThatThrownBy(() -> small.download(store, KEY, target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/" + KEY
            + ": its chunk " + damaged.key() + " has " + bytes.length + " bytes with SHA-256 ")
        .hasMessageContaining("the local copy and cache were left untouched");
    assertThat(target).hasContent("previous");

    store.delete(damaged.key(), Condition.none());

    assertThatThrownBy(() -> small.download(store, KEY, target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/" + KEY
            + ": its chunk " + damaged.key() + " is missing.");
    assertThat(target).hasContent("previous");
    try (var files = Files.list(target.getParent())) {
      assertThat(files.toList()).containsExactly(target);
    }
  }

  @Test
  void objectsWithoutLeaMetadataAreNamedAsTheTransportThatReadsThem() throws IOException {
    Path target = previous();
    store.put("plain.sqlite", new ByteArrayInputStream("SQLite format 3".getBytes(
        StandardCharsets.US_ASCII)), 15, Map.of(), Condition.none());
    store.put("poc.parquet", new ByteArrayInputStream("PAR1....PAR1".getBytes(
        StandardCharsets.US_ASCII)), 12, Map.of(), Condition.none());

    assertThatThrownBy(() -> small.download(store, "plain.sqlite", target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessage("Cannot download catalog " + store.describe() + "/plain.sqlite: it was"
            + " written by the 'object-copy' transport but 'chunked' is configured. Set"
            + " lea.ducklake.transport=object-copy (LEA_DUCKLAKE_TRANSPORT) to read it.");
    assertThatThrownBy(() -> small.download(store, "poc.parquet", target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageContaining("written by the 'parquet-blob' transport but 'chunked' is"
            + " configured");
    assertThat(target).hasContent("previous");
  }

  @Test
  void existingChunkOutsideThePreviousManifestIsReusedOnlyWhileYoung() throws IOException {
    Path v1File = random("v1.sqlite", 100 * 1024, 10);
    ObjectInfo v1 = upload(small, v1File, Condition.ifAbsent(), "none");
    Path v2File = random("v2.sqlite", 100 * 1024, 12);
    ObjectInfo v2 = upload(small, v2File, Condition.ifMatch(v1.version()), "none");
    Set<String> v1Chunks = new Chunker(1024, 4096, 16384).chunks(v1File).stream()
        .map(c -> ChunkedTransport.chunkKey(KEY, c.sha256())).collect(Collectors.toSet());
    store.reset();

    // v1's chunks are still stored but v2's manifest does not list them.
    ObjectInfo v3 = upload(small, v1File, Condition.ifMatch(v2.version()), "none");

    assertThat(store.puts()).extracting(RecordingStore.Put::key).containsExactly(KEY);

    Clock later = Clock.fixed(Instant.now().plus(ChunkedTransport.REUSE_AGE).plusSeconds(60),
        ZoneOffset.UTC);
    ChunkedTransport agedWriter = new ChunkedTransport(new Chunker(1024, 4096, 16384), 2, later);
    ObjectInfo v4 = upload(agedWriter, v2File, Condition.ifMatch(v3.version()), "none");
    store.reset();
    upload(agedWriter, v1File, Condition.ifMatch(v4.version()), "none");

    assertThat(store.puts()).filteredOn(p -> !p.key().equals(KEY))
        .as("old chunks are written again so that their age starts over")
        .extracting(RecordingStore.Put::key).containsExactlyInAnyOrderElementsOf(v1Chunks);
    assertThat(store.puts()).filteredOn(p -> !p.key().equals(KEY))
        .allSatisfy(p -> assertThat(p.condition()).isEqualTo(Condition.none()));
    assertThat(download(small, "v5.sqlite")).hasSameBinaryContentAs(v1File);
  }

  @Test
  void chunksTravelInParallelOnAtMostFourThreads() throws IOException {
    Path file = random("v1.sqlite", 512 * 1024, 13);
    CyclicBarrier firstTwo = new CyclicBarrier(2);
    AtomicInteger met = new AtomicInteger();
    store.intercept((operation, key) -> {
      // Two chunk transfers meet only when they run at the same time.
      if (key.startsWith(KEY + ".chunks/") && met.getAndIncrement() < 2) {
        try {
          firstTwo.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          throw new IOException("chunk transfers did not overlap", e);
        }
      }
    });

    upload(small, file, Condition.ifAbsent(), "none");

    assertThat(store.mostConcurrentTransfers()).isBetween(2, ChunkedTransport.DEFAULT_THREADS);
    store.reset();
    met.set(0);
    firstTwo.reset();

    assertThat(download(small, "parallel.sqlite")).hasSameBinaryContentAs(file);
    assertThat(store.mostConcurrentTransfers()).isBetween(2, ChunkedTransport.DEFAULT_THREADS);
  }

  private ObjectInfo upload(ChunkedTransport transport, Path file, Condition condition,
      String compression) throws IOException {
    CatalogFile catalog = new CatalogFile(LocalFiles.sha256(file), Files.size(file), "sqlite");
    return transport.withOptions(TransportOptions.of(config(compression)))
        .upload(store, KEY, file, catalog, condition);
  }

  private Path download(ChunkedTransport transport, String name) throws IOException {
    Path target = local.resolve(name);
    Download download = transport.download(store, KEY, target, null);
    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(download.sha256()).isEqualTo(LocalFiles.sha256(target));
    return target;
  }

  private Path previous() throws IOException {
    Path directory = Files.createTempDirectory(local, "target-");
    return Files.writeString(directory.resolve("catalog.sqlite"), "previous");
  }

  private LeaConfig config(String compression) {
    return LeaConfig.defaults(local)
        .with(LeaSettings.COMPRESSION, compression)
        .with(LeaSettings.WORK_DIR, local.resolve("work").toString());
  }

  private Path copyWithChange(Path source, String name, long position) throws IOException {
    Path copy = Files.copy(source, local.resolve(name));
    overwrite(copy, position, "changed!".getBytes(StandardCharsets.US_ASCII));
    return copy;
  }

  private static void overwrite(Path file, long position, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes), position);
    }
  }

  private Path random(String name, long size, long seed) throws IOException {
    Path file = local.resolve(name);
    Random random = new Random(seed);
    byte[] block = new byte[MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
    return file;
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
