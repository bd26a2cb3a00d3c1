package dev.lea.transport;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Providers;
import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;

/** Finds transports by name. */
public final class CatalogTransports {

  private CatalogTransports() {}

  /** lea's own transports, fresh ones each time as {@link java.util.ServiceLoader} gives. */
  private static List<CatalogTransport> builtIns() {
    return List.of(new ObjectCopyTransport(), new ParquetBlobTransport(), new ChunkedTransport());
  }

  /** Every transport: lea's own and those jars on the classpath provide. */
  static List<CatalogTransport> all() {
    return Providers.all(CatalogTransport.class, builtIns());
  }

  /** The names of every transport, sorted. */
  public static SortedSet<String> names() {
    return Providers.names(CatalogTransport.class, builtIns(), t -> List.of(t.name()));
  }

  /**
   * The transport {@code lea.ducklake.transport} names, bound to the options {@code config} sets;
   * a name no jar on the classpath provides is refused with the valid ones.
   */
  public static CatalogTransport configured(LeaConfig config) {
    return config.provider(LeaSettings.TRANSPORT, all())
        .withOptions(TransportOptions.of(config));
  }

  /**
   * Collects what every transport on the classpath left behind for the catalog at {@code key}:
   * the catalog may have been written by another transport than the configured one.
   */
  public static GcResult collectGarbage(ObjectStore store, String key, Duration grace)
      throws IOException {
    GcResult result = GcResult.NOTHING;
    for (CatalogTransport transport : all()) {
      result = result.plus(transport.collectGarbage(store, key, grace));
    }
    return result;
  }

  /** The transport called {@code name}, with {@link TransportOptions#DEFAULTS}. */
  public static CatalogTransport named(String name) {
    return Providers.find(CatalogTransport.class, builtIns(), "catalog transport", name,
        t -> List.of(t.name()));
  }
}
