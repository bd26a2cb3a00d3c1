package dev.lea.store.gcs.reliability;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.reliability.FaultContract;
import dev.lea.store.gcs.GcsSettings;
import dev.lea.testing.FakeGcsServer;
import dev.lea.testing.FaultProxy;
import dev.lea.testing.FaultProxy.Unavailable;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The fault contract on {@code gs://}, against the GCS fake, with the library's backoff (at most 6
 * attempts) bounded by a short {@code lea.store.requestTimeout}, as a user on a slow link would
 * set it the other way: the time limit may end the retries after 5 or fewer, and a test waits
 * seconds instead of the 5 minute default. A download cut halfway is resumed.
 */
class GcsFaultIT extends FaultContract {

  private static final String BUCKET = "reliability";

  @Override
  protected Faults startStore(Path dir) throws Exception {
    FakeGcsServer fake = FakeGcsServer.start(BUCKET);
    FaultProxy proxy = new FaultProxy(URI.create(fake.endpoint()), Unavailable.GCS_BACKEND_ERROR);
    LeaConfig config = LeaConfig.defaults(dir)
        .with(GcsSettings.GCS_ENDPOINT, proxy.endpoint().toString())
        .with(GcsSettings.GCS_PROJECT, "lea-reliability")
        .with(LeaSettings.STORE_REQUEST_TIMEOUT, "PT12S");
    return new Faults(proxy, "gs://" + BUCKET + "/" + KEY, config, Map.of(),
        // The data request of a resumable upload (not the session start, not a status query).
        head -> head.startsWith("PUT ") && head.contains("upload_id=")
            && head.toLowerCase(Locale.ROOT).contains("content-length: " + SIZE),
        head -> head.startsWith("GET ") && head.contains("alt=media"),
        2, 2, 6, true, fake);
  }
}
