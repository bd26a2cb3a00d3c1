package dev.lea.store.gcs;

import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreContractTest;
import dev.lea.testing.FakeGcsServer;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ObjectStore contract for gs://, through the real client against the fake. */
class GcsObjectStoreContractIT extends ObjectStoreContractTest {

  private static final String BUCKET = "contract-bucket";
  private static FakeGcsServer fake;

  @BeforeAll
  static void startFake() throws IOException {
    fake = FakeGcsServer.start();
    fake.createBucket(BUCKET);
  }

  @AfterAll
  static void stopFake() throws IOException {
    fake.close();
  }

  @Override
  protected ObjectStore newStore() {
    return FakeGcs.store(fake, BUCKET);
  }
}
