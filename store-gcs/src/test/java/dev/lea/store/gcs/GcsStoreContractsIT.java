package dev.lea.store.gcs;

import dev.lea.reliability.StoreContracts;
import dev.lea.store.ObjectStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contracts on gs://, through the real client against the fake. */
class GcsStoreContractsIT extends StoreContracts {

  @RegisterExtension
  static final FakeGcsBucket BUCKET = new FakeGcsBucket("contracts");

  @Override
  protected ObjectStore newStore() {
    return BUCKET.newStore();
  }
}
