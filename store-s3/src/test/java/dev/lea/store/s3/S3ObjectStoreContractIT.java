package dev.lea.store.s3;

import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The ObjectStore contract for the S3 store, against an in-process S3Proxy. */
class S3ObjectStoreContractIT extends ObjectStoreContractTest {

  private static final String BUCKET = "contract";

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
}
