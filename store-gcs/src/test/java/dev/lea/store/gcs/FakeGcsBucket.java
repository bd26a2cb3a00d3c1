package dev.lea.store.gcs;

import dev.lea.store.ObjectStore;
import dev.lea.testing.FakeGcsServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A bucket on the GCS fake for one test class's contract: register it as a static
 * {@code @RegisterExtension} field and open stores on it.
 */
final class FakeGcsBucket implements BeforeAllCallback, AfterAllCallback {

  private final String bucket;
  // Nested test classes run the callbacks of their enclosing class's extensions too: the server
  // lives from the outermost class's start to its end.
  private int depth;
  private FakeGcsServer fake;

  FakeGcsBucket(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (depth++ > 0) {
      return;
    }
    fake = FakeGcsServer.start(bucket);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (--depth > 0) {
      return;
    }
    fake.close();
  }

  /** A store on the bucket, through the real client. */
  ObjectStore newStore() {
    return FakeGcs.store(fake, bucket);
  }
}
