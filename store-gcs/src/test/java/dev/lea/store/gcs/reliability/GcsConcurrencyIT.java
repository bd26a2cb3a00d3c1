package dev.lea.store.gcs.reliability;

import dev.lea.reliability.MultiWriterContract;
import dev.lea.store.gcs.GcsSettings;
import dev.lea.testing.FakeGcsServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The multi-writer contract on a {@code gs://} catalog served by the GCS fake in this JVM, whose
 * generation preconditions are checked and applied atomically, as GCS does.
 */
class GcsConcurrencyIT extends MultiWriterContract {

  private static final String BUCKET = "concurrency";

  @Override
  protected Bucket startBucket(Path dir) throws Exception {
    FakeGcsServer fake = FakeGcsServer.start(BUCKET);
    return new Bucket("gs://" + BUCKET + "/",
        Map.of(GcsSettings.GCS_ENDPOINT, fake.endpoint(),
            GcsSettings.GCS_PROJECT, "lea-concurrency"),
        Map.of(), true, fake);
  }
}
