package dev.lea.store.s3;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.reliability.StoreContracts;
import dev.lea.store.ObjectStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contracts on the S3 store, against an in-process S3Proxy. The tests that rely on an
 * atomic If-Match (the takeover race among them) are skipped by the contracts themselves, since
 * S3Proxy does not check it atomically (see {@link S3ProxyServer#newContractStore(String)}).
 */
class S3StoreContractsIT extends StoreContracts {

  @RegisterExtension
  static final S3ProxyBucket BUCKET = new S3ProxyBucket("contracts");

  @Override
  protected ObjectStore newStore() {
    return BUCKET.newStore();
  }

  /**
   * A lock on a store reached over HTTP needs a heartbeat round trip (GET and conditional PUT)
   * well inside its TTL; the contract's one second left a loaded machine no margin, and a late
   * heartbeat made the holder's lock look expired to the next run.
   */
  @Override
  protected LeaConfig lockConfig(LeaConfig config) {
    return config.with(LeaSettings.LOCK_TTL, "PT5S");
  }
}
