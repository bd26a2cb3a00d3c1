package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.LocalFiles;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One catalog file uploaded then downloaded through a catalog transport on the store of a URL:
 * what a session pays at commit and at the next open when the catalog changed and no cache helps.
 * Shared by the round-trip benchmarks of every store.
 */
final class TransportRoundTrip implements AutoCloseable {

  private final Path source;
  private final Path target;
  private final CatalogFile catalog;
  private final CatalogTransport transport;
  private final LeaConfig config;
  private final ObjectStore store;
  private final String key;

  /**
   * @param transport {@code <transport>} or {@code <transport>:<compression>}
   * @param url where the catalog goes, e.g. {@code s3://bucket/catalog.duckdb}
   * @param config the store's settings; the work directory is set to {@code scratch}
   * @param scratch a private directory for the downloaded copy and the transports' temporary files
   */
  TransportRoundTrip(String transport, Path source, String url, LeaConfig config, Path scratch)
      throws IOException {
    this.source = source;
    this.target = scratch.resolve("downloaded.duckdb");
    int colon = transport.indexOf(':');
    LeaConfig withWork = config.with(LeaSettings.WORK_DIR, scratch.toString());
    this.config = colon < 0 ? withWork
        : withWork.with(LeaSettings.COMPRESSION, transport.substring(colon + 1));
    this.transport = CatalogTransports.named(colon < 0 ? transport : transport.substring(0, colon));
    Location location = Location.parse(url, scratch);
    this.store = ObjectStores.open(location, this.config);
    this.key = location.key();
    // object-copy needs no SHA-256 computed beforehand where the store keeps a CRC32C of its own
    // (issue 16); the other transports still take the digest a session computes first.
    boolean storeChecksum = this.transport.name().equals("object-copy")
        && store.supports(Capability.CRC32C);
    this.catalog = new CatalogFile(storeChecksum ? null : LocalFiles.sha256(source),
        Files.size(source), "duckdb-warehouse");
  }

  void run(Blackhole blackhole) throws IOException {
    blackhole.consume(transport.upload(store, key, source, catalog, Condition.none(), config));
    blackhole.consume(transport.download(store, key, target, null, config));
  }

  @Override
  public void close() throws Exception {
    store.close();
  }
}
