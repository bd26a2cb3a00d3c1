package dev.lea.reliability;

import dev.lea.config.LeaConfig;
import dev.lea.lock.LockStrategyContractTest;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreContractTest;
import dev.lea.transport.CatalogTransportContractTest;
import org.junit.jupiter.api.Nested;

/**
 * Every store contract, run against one store: the {@link ObjectStore} SPI, the lock strategies
 * and the catalog transports on it. Extend it and answer {@link #newStore()}; a new contract added
 * here runs for every store.
 */
public abstract class StoreContracts {

  /** A store to test; each test opens one and closes it after. */
  protected abstract ObjectStore newStore() throws Exception;

  /** The settings the lock contract runs with, from its own. */
  protected LeaConfig lockConfig(LeaConfig config) {
    return config;
  }

  @Nested
  class Objects extends ObjectStoreContractTest {
    @Override
    protected ObjectStore newStore() throws Exception {
      return StoreContracts.this.newStore();
    }
  }

  @Nested
  class Locks extends LockStrategyContractTest {
    @Override
    protected ObjectStore newStore() throws Exception {
      return StoreContracts.this.newStore();
    }

    @Override
    protected LeaConfig config() {
      return lockConfig(super.config());
    }
  }

  @Nested
  class Transports extends CatalogTransportContractTest {
    @Override
    protected ObjectStore newStore() throws Exception {
      return StoreContracts.this.newStore();
    }
  }
}
