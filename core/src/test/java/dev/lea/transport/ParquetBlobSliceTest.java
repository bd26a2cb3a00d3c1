package dev.lea.transport;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.internal.Sql;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parts larger than a slice are read slice by slice, so the heap holds one slice of the catalog
 * at a time whatever the chunk size a file was written with (files of earlier versions have
 * 64 MiB chunks; the proof of concept's, the whole catalog in one BLOB).
 */
class ParquetBlobSliceTest {

  private static final int CHUNK = 10_000;

  @TempDir Path dir;

  private ObjectStore store;
  private LeaConfig config;

  @BeforeEach
  void setUp() {
    store = ObjectStores.file(dir.resolve("bucket"));
    config = LeaConfig.defaults(dir).with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  private Path bytes(String name, int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  @ParameterizedTest(name = "slices of {0} bytes")
  @ValueSource(ints = {999, CHUNK - 1, CHUNK, CHUNK + 1})
  void partsAreReassembledFromSlices(int slice) throws Exception {
    Path source = bytes("c.sqlite", 3 * CHUNK + 17);
    String sha = LocalFiles.sha256(source);
    new ParquetBlobTransport(CHUNK).withOptions(TransportOptions.of(config))
        .upload(store, "c.sqlite", source, new CatalogFile(sha, Files.size(source), "sqlite"),
            Condition.ifAbsent());

    Path target = dir.resolve("downloaded.sqlite");
    Download download = new ParquetBlobTransport(CHUNK, slice)
        .withOptions(TransportOptions.of(config)).download(store, "c.sqlite", target, null);

    assertThat(download.sha256()).isEqualTo(sha);
    assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
  }

  @Test
  void theProofOfConceptsSingleBlobIsReadInSlices() throws Exception {
    Path source = bytes("poc.sqlite", 12_345);
    Path parquet = dir.resolve("poc.parquet");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute("COPY (SELECT content FROM read_blob(" + Sql.literal(source.toString())
          + ")) TO " + Sql.literal(parquet.toString()) + " (FORMAT PARQUET)");
    }
    store.put("poc.sqlite", parquet, Map.of(), Condition.none());

    Path target = dir.resolve("downloaded.sqlite");
    Download download = new ParquetBlobTransport(CHUNK, 1000)
        .withOptions(TransportOptions.of(config)).download(store, "poc.sqlite", target, null);

    assertThat(download.size()).isEqualTo(12_345);
    assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
  }

  @Test
  void aSliceIsAnEighthOfTheHeapWithinItsBounds() {
    long eighth = Runtime.getRuntime().maxMemory() / 8;

    assertThat(ParquetBlobTransport.sliceSize()).isEqualTo((int) Math.max(
        ParquetBlobTransport.MIN_SLICE, Math.min(ParquetBlobTransport.MAX_SLICE, eighth)));
  }
}
