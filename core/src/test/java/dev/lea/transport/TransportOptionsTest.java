package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options are bound once, where the transport is made, and every transfer after uses them. */
class TransportOptionsTest {

  @TempDir Path dir;

  @Test
  void theConfiguredTransportCompressesAsConfiguredAndOneFoundByNameDoesNot() throws Exception {
    Path catalog = Files.writeString(dir.resolve("c.duckdb"), "catalog bytes ".repeat(1000));
    LeaConfig config = LeaConfig.defaults(dir).with(LeaSettings.TRANSPORT, "object-copy")
        .with(LeaSettings.COMPRESSION, "zstd");
    try (ObjectStore store = ObjectStores.file(dir.resolve("bucket"))) {
      CatalogTransports.configured(config).upload(store, "configured.duckdb", catalog,
          new CatalogFile(null, Files.size(catalog), "duckdb"), Condition.none());
      CatalogTransports.named("object-copy").upload(store, "named.duckdb", catalog,
          new CatalogFile(null, Files.size(catalog), "duckdb"), Condition.none());

      assertThat(store.head("configured.duckdb").orElseThrow().metadata())
          .containsEntry(CatalogMetadata.COMPRESSION, "zstd");
      assertThat(store.head("named.duckdb").orElseThrow().metadata())
          .containsEntry(CatalogMetadata.COMPRESSION, "none");
    }
  }

  @Test
  void bindingOptionsLeavesTheTransportItCameFromAsItWas() throws Exception {
    Path catalog = Files.writeString(dir.resolve("c.duckdb"), "catalog bytes ".repeat(1000));
    CatalogTransport plain = new ObjectCopyTransport();
    CatalogTransport gzip = plain.withOptions(new TransportOptions("gzip", null));
    try (ObjectStore store = ObjectStores.file(dir.resolve("bucket"))) {
      gzip.upload(store, "gzip.duckdb", catalog,
          new CatalogFile(null, Files.size(catalog), "duckdb"), Condition.none());
      plain.upload(store, "plain.duckdb", catalog,
          new CatalogFile(null, Files.size(catalog), "duckdb"), Condition.none());

      assertThat(store.head("gzip.duckdb").orElseThrow().metadata())
          .containsEntry(CatalogMetadata.COMPRESSION, "gzip");
      assertThat(store.head("plain.duckdb").orElseThrow().metadata())
          .containsEntry(CatalogMetadata.COMPRESSION, "none");
    }
  }

  @Test
  void anUnknownCompressionIsRefusedWhenTheOptionsAreMadeNotAtTheFirstUpload() {
    assertThatThrownBy(() -> new TransportOptions("lzma", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown compression 'lzma'");
  }
}
