package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.internal.Providers;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import dev.lea.store.StoreFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link CatalogTransport} must do on every store: extend it and answer
 * {@link #newStore()}. Each test runs for every transport registered through
 * {@link java.util.ServiceLoader} (and, where it matters, every compression), so a new transport
 * or store is covered by adding it. Keys live under a fresh prefix per test, so a store may be
 * shared by tests. Remote corruption is made through the store's own API, so it works for every
 * store.
 *
 * <p>Round trips of 1 GiB run only with {@code -Dlea.test.large=true}.
 */
public abstract class CatalogTransportContractTest extends StoreFixture {

  protected static final int MIB = 1024 * 1024;
  private static final long GIB = 1024L * MIB;
  private static final List<String> COMPRESSIONS = List.of("none", "gzip", "zstd");
  private static final byte[] PREVIOUS =
      "the previous local catalog".getBytes(StandardCharsets.UTF_8);

  @TempDir Path local;

  protected CatalogTransportContractTest() {
    super("transport");
  }

  protected static Stream<String> transports() {
    return CatalogTransports.names().stream();
  }

  protected static Stream<Arguments> transportsAndCompressions() {
    return transports().flatMap(t -> COMPRESSIONS.stream().map(c -> Arguments.of(t, c)));
  }

  protected static Stream<Arguments> smallRoundTrips() {
    return transportsAndCompressions().flatMap(args -> Stream.of(0L, 1L, (long) MIB)
        .map(size -> Arguments.of(args.get()[0], args.get()[1], size)));
  }

  protected static Stream<Arguments> transportPairs() {
    List<String> names = transports().toList();
    List<Arguments> pairs = new ArrayList<>();
    for (String writer : names) {
      for (String reader : names) {
        if (!writer.equals(reader)) {
          pairs.add(Arguments.of(writer, reader));
        }
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} bytes")
  @MethodSource("smallRoundTrips")
  void roundTripIsByteForByteEqual(String transport, String compression, long size)
      throws IOException {
    roundTrip(transport, compression, size);
  }

  @ParameterizedTest(name = "{0} {1} 1 GiB")
  @MethodSource("transportsAndCompressions")
  void largeRoundTripIsByteForByteEqual(String transport, String compression) throws IOException {
    assumeTrue(Boolean.getBoolean("lea.test.large"),
        "1 GiB round trips run only with -Dlea.test.large=true");
    roundTrip(transport, compression, GIB);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void metadataDescribesTheCatalog(String transport) throws IOException {
    Path source = catalog("c.duckdb", 4321);
    String key = prefix + "c.duckdb";
    ObjectInfo uploaded = upload(transport, "zstd", key, source, "duckdb", Condition.ifAbsent());

    ObjectInfo head = store.head(key).orElseThrow();
    assertThat(head.version()).isEqualTo(uploaded.version());
    assertThat(head.metadata())
        .containsEntry(CatalogMetadata.SHA256, LocalFiles.sha256(source))
        .containsEntry(CatalogMetadata.SIZE, "4321")
        .containsEntry(CatalogMetadata.FORMAT, "duckdb")
        .containsEntry(CatalogMetadata.TRANSPORT, transport)
        .containsEntry(CatalogMetadata.COMPRESSION, "zstd")
        .containsKey(ObjectStore.WRITE_ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void missingCatalogIsNotFoundAndLeavesTheTargetAlone(String transport) throws IOException {
    Path target = previousLocalCopy();

    Download download = transport(transport, "none").download(store, prefix + "absent.sqlite",
        target, null);

    assertThat(download.status()).isEqualTo(ReadResult.Status.NOT_FOUND);
    assertThat(download.info()).isNull();
    assertThat(target).hasBinaryContent(PREVIOUS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void heldVersionIsNotModifiedUntilTheCatalogChanges(String transport) throws IOException {
    String key = prefix + "c.sqlite";
    Path first = catalog("first.sqlite", 2000);
    ObjectInfo v1 = upload(transport, "none", key, first, "sqlite", Condition.ifAbsent());
    Path target = previousLocalCopy();

    Download unchanged = transport(transport, "none").download(store, key, target, v1.version());

    assertThat(unchanged.status()).isEqualTo(ReadResult.Status.NOT_MODIFIED);
    assertThat(unchanged.info().version()).isEqualTo(v1.version());
    assertThat(unchanged.sha256()).isEqualTo(LocalFiles.sha256(first));
    assertThat(target).hasBinaryContent(PREVIOUS);

    Path second = catalog("second.sqlite", 3000);
    ObjectInfo v2 = upload(transport, "none", key, second, "sqlite",
        Condition.ifMatch(v1.version()));
    Download changed = transport(transport, "none").download(store, key, target, v1.version());

    assertThat(v2.version()).isNotEqualTo(v1.version());
    assertThat(changed.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(changed.info().version()).isEqualTo(v2.version());
    assertThat(target).hasSameBinaryContentAs(second);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void conditionalUploadsRefuseToOverwriteWhatTheyDidNotExpect(String transport)
      throws IOException {
    String key = prefix + "c.sqlite";
    Path first = catalog("first.sqlite", 1500);
    Path second = catalog("second.sqlite", 1700);
    ObjectInfo v1 = upload(transport, "gzip", key, first, "sqlite", Condition.ifAbsent());

    assertThatThrownBy(() -> upload(transport, "gzip", key, second, "sqlite",
        Condition.ifAbsent()))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("ifAbsent")
        .hasMessageContaining(key);
    assertThatThrownBy(() -> upload(transport, "gzip", key, second, "sqlite",
        Condition.ifMatch("not-" + v1.version())))
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("ifMatch(not-" + v1.version() + ")")
        .hasMessageContaining(key);
    assertThat(store.head(key).orElseThrow().version()).isEqualTo(v1.version());
    assertThat(downloaded(transport, key)).hasSameBinaryContentAs(first);

    ObjectInfo v2 = upload(transport, "gzip", key, second, "sqlite",
        Condition.ifMatch(v1.version()));

    assertThat(store.head(key).orElseThrow().version()).isEqualTo(v2.version());
    assertThat(downloaded(transport, key)).hasSameBinaryContentAs(second);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndCompressions")
  void truncatedObjectIsRefusedAndTheTargetKept(String transport, String compression)
      throws IOException {
    for (int keep : new int[] {-1, 2}) {
      String key = prefix + "truncated-" + keep + ".sqlite";
      upload(transport, compression, key, catalog("c.sqlite", MIB), "sqlite",
          Condition.none());
      rewrite(key, bytes -> Arrays.copyOf(bytes,
          keep < 0 ? bytes.length - 1 : bytes.length / keep));

      assertRefusedKeepingTheTarget(transport, key);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndCompressions")
  void bitFlippedObjectIsRefusedAndTheTargetKept(String transport, String compression)
      throws IOException {
    String key = prefix + "flipped.sqlite";
    upload(transport, compression, key, catalog("c.sqlite", MIB), "sqlite", Condition.none());
    rewrite(key, bytes -> {
      bytes[bytes.length / 2] ^= 0x10;
      return bytes;
    });

    assertRefusedKeepingTheTarget(transport, key);
  }

  @ParameterizedTest(name = "written by {0}, read by {1}")
  @MethodSource("transportPairs")
  void objectOfAnotherTransportIsRefusedNamingBoth(String writer, String reader)
      throws IOException {
    String key = prefix + "c.sqlite";
    upload(writer, "none", key, catalog("c.sqlite", 5000), "sqlite", Condition.ifAbsent());
    Path target = previousLocalCopy();

    assertThatThrownBy(() -> transport(reader, "none").download(store, key, target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/" + key + ": ")
        .hasMessageContaining("written by the '" + writer + "' transport")
        .hasMessageContaining("'" + reader + "' is configured")
        .hasMessageContaining("lea.ducklake.transport=" + writer);
    assertThat(target).hasBinaryContent(PREVIOUS);
  }

  private void roundTrip(String transport, String compression, long size) throws IOException {
    Path source = catalog("source.sqlite", size);
    String sha = LocalFiles.sha256(source);
    String key = prefix + "c.sqlite";

    ObjectInfo uploaded = upload(transport, compression, key, source, "sqlite",
        Condition.ifAbsent());
    Path target = Files.createTempDirectory(local, "target-").resolve("downloaded.sqlite");
    Download download = transport(transport, compression).download(store, key, target, null);

    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(download.info().version()).isEqualTo(uploaded.version());
    assertThat(download.sha256()).isEqualTo(sha);
    assertThat(download.size()).isEqualTo(size);
    assertThat(Files.size(target)).isEqualTo(size);
    assertThat(Files.mismatch(source, target)).as("first differing byte").isEqualTo(-1L);
    assertThat(siblingsOf(target)).containsOnly(target);
  }

  private void assertRefusedKeepingTheTarget(String transport, String key) throws IOException {
    Path target = previousLocalCopy();

    assertThatThrownBy(() -> transport(transport, "none").download(store, key, target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/" + key + ": ")
        .hasMessageContaining("the local copy and cache were left untouched");
    assertThat(target).hasBinaryContent(PREVIOUS);
    assertThat(siblingsOf(target)).containsOnly(target);
  }

  /** Replaces the object's bytes, keeping its metadata, as a faulty store or disk would. */
  private void rewrite(String key, UnaryOperator<byte[]> change)
      throws IOException {
    byte[] bytes;
    Map<String, String> metadata;
    try (ReadResult read = store.read(key, null)) {
      metadata = read.info().metadata();
      bytes = read.content().readAllBytes();
    }
    byte[] changed = change.apply(bytes);
    store.put(key, new ByteArrayInputStream(changed), changed.length, metadata, Condition.none());
  }

  private ObjectInfo upload(String transport, String compression, String key, Path source,
      String format, Condition condition) throws IOException {
    CatalogFile catalog = new CatalogFile(LocalFiles.sha256(source), Files.size(source), format);
    return transport(transport, compression).upload(store, key, source, catalog, condition);
  }

  private Path downloaded(String transport, String key) throws IOException {
    Path target = Files.createTempFile(local, "downloaded-", ".sqlite");
    Download download = transport(transport, "none").download(store, key, target, null);
    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    return target;
  }

  private Path previousLocalCopy() throws IOException {
    Path directory = Files.createTempDirectory(local, "target-");
    return Files.write(directory.resolve("catalog.sqlite"), PREVIOUS);
  }

  private static List<Path> siblingsOf(Path file) throws IOException {
    try (Stream<Path> files = Files.list(file.getParent())) {
      return files.toList();
    }
  }

  private LeaConfig config(String compression) {
    return LeaConfig.defaults(local)
        .with(LeaSettings.COMPRESSION, compression)
        .with(LeaSettings.WORK_DIR, local.resolve("work").toString());
  }

  private CatalogTransport transport(String name, String compression) {
    return CatalogTransports.named(name).withOptions(TransportOptions.of(config(compression)));
  }

  /**
   * A catalog-like file of {@code size} bytes, streamed to disk: half random, half runs of one
   * byte, so compression has something to do and corruption cannot go unnoticed.
   */
  protected Path catalog(String name, long size) throws IOException {
    Path file = local.resolve(name);
    Random random = new Random(size * 31 + name.hashCode());
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        Arrays.fill(block, block.length / 2, block.length, (byte) random.nextInt());
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
    return file;
  }
}
