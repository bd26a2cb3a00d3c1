package dev.lea.store.gcs;

import dev.lea.lock.LockStrategyContractTest;
import dev.lea.store.ObjectStore;
import dev.lea.testing.FakeGcsServer;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lock strategies on gs://, through the real client against the fake. */
class GcsLockStrategyContractIT extends LockStrategyContractTest {

  private static final String BUCKET = "lock-bucket";
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
