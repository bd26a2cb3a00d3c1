package dev.lea.transport;

import dev.lea.spi.Providers;
import java.util.List;

/** Finds transports by name. */
public final class CatalogTransports {

  private CatalogTransports() {}

  public static CatalogTransport named(String name) {
    return Providers.find(CatalogTransport.class, "catalog transport", name, t -> List.of(t.name()));
  }
}
