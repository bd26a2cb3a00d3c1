package dev.lea.transport;

import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The transport contract on the {@code file:} store. */
class FileStoreCatalogTransportTest extends CatalogTransportContractTest {

  @TempDir Path bucket;

  @Override
  protected ObjectStore newStore() {
    return ObjectStores.file(bucket);
  }
}
