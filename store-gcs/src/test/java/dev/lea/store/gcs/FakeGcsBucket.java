package dev.lea.store.gcs;

import dev.lea.store.ObjectStore;
import dev.lea.store.SharedServer;
import dev.lea.testing.FakeGcsServer;

/** A bucket on the GCS fake for one test class's contracts; open stores on it. */
final class FakeGcsBucket extends SharedServer {

  private final String bucket;
  private FakeGcsServer fake;

  FakeGcsBucket(String bucket) {
    this.bucket = bucket;
  }

  @Override
  protected AutoCloseable start() throws Exception {
    fake = FakeGcsServer.start(bucket);
    return fake;
  }

  /** A store on the bucket, through the real client. */
  ObjectStore newStore() {
    return FakeGcs.store(fake, bucket);
  }
}
