package dev.lea.store.s3;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockStrategyContractTest;
import dev.lea.store.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock strategies on the S3 store, against an in-process S3Proxy. The takeover race is
 * skipped by the contract itself, since S3Proxy does not check If-Match atomically (see
 * {@link S3ProxyServer#newContractStore(String)}).
 */
class S3LockStrategyContractIT extends LockStrategyContractTest {

  private static final String BUCKET = "locks";

  @TempDir
  static Path blobs;
  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(blobs);
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected ObjectStore newStore() {
    return server.newContractStore(BUCKET);
  }

  /**
   * A lock on a store reached over HTTP needs a heartbeat round trip (GET and conditional PUT)
   * well inside its TTL; the contract's one second left a loaded machine no margin, and a late
   * heartbeat made the holder's lock look expired to the next run.
   */
  @Override
  protected LeaConfig config() {
    return super.config().with(LeaSettings.LOCK_TTL, "PT5S");
  }
}
