package dev.lea.store.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.storage.Storage;
import dev.lea.testing.FakeGcsServer;
import java.time.Duration;

/** Clients for the fake: no credentials, and retries quick enough for tests. */
final class FakeGcs {

  private FakeGcs() {}

  static RetrySettings quickRetries() {
    return RetrySettings.newBuilder()
        .setMaxAttempts(4)
        .setInitialRetryDelayDuration(Duration.ofMillis(10))
        .setRetryDelayMultiplier(2)
        .setMaxRetryDelayDuration(Duration.ofMillis(100))
        .setTotalTimeoutDuration(Duration.ofSeconds(30))
        .build();
  }

  static Storage client(String endpoint) {
    return GcsClients.emulator(endpoint, "fake-project", quickRetries()).build().getService();
  }

  static GcsObjectStore store(FakeGcsServer fake, String bucket) {
    return new GcsObjectStore(client(fake.endpoint()), bucket);
  }
}
