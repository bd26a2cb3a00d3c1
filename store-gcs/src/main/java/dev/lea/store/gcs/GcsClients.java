package dev.lea.store.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/** Builds the {@link Storage} client a store uses, from the configuration. */
final class GcsClients {

  /** Emulators ignore the project, but the client must not go looking for one. */
  static final String EMULATOR_PROJECT = "lea-emulator";

  private GcsClients() {}

  /**
   * A client for real GCS with Application Default Credentials, or, when {@code lea.gcs.endpoint}
   * is set, for the emulator there without credentials. Retries follow the library's default
   * strategy, which retries only idempotent calls: reads, and writes and deletes that carry a
   * generation precondition; they stop at {@code lea.store.requestTimeout}, and a connection that
   * stays silent for {@code lea.store.attemptTimeout} fails its attempt.
   */
  static Storage open(Location location, LeaConfig config) {
    Optional<String> endpoint = config.find(GcsSettings.GCS_ENDPOINT);
    Optional<String> project = config.find(GcsSettings.GCS_PROJECT);
    Duration attempt = positive(location, config, LeaSettings.STORE_ATTEMPT_TIMEOUT);
    Duration request = positive(location, config, LeaSettings.STORE_REQUEST_TIMEOUT);
    RetrySettings retries = retrySettings(attempt, request);
    HttpTransportOptions transport = transport(attempt);
    if (endpoint.isPresent()) {
      return emulator(checkEndpoint(endpoint.get(), location), project.orElse(EMULATOR_PROJECT),
          retries).setTransportOptions(transport).build().getService();
    }
    HttpStorageOptions.Builder builder = StorageOptions.http()
        .setStorageRetryStrategy(StorageRetryStrategy.getDefaultStorageRetryStrategy())
        .setRetrySettings(retries)
        .setTransportOptions(transport)
        .setCredentials(applicationDefault(location));
    project.ifPresent(builder::setProjectId);
    return builder.build().getService();
  }

  /** The library's backoff, bounded by lea's deadlines instead of its own 50 s total. */
  static RetrySettings retrySettings(Duration attempt, Duration request) {
    return StorageOptions.getDefaultRetrySettings().toBuilder()
        .setTotalTimeoutDuration(request)
        .setInitialRpcTimeoutDuration(attempt)
        .setMaxRpcTimeoutDuration(attempt)
        .setRpcTimeoutMultiplier(1.0)
        .build();
  }

  /** Connect and socket-read timeouts of one attempt. */
  static HttpTransportOptions transport(Duration attempt) {
    int millis = (int) Math.min(Integer.MAX_VALUE, attempt.toMillis());
    return HttpTransportOptions.newBuilder().setConnectTimeout(millis).setReadTimeout(millis)
        .build();
  }

  private static Duration positive(Location location, LeaConfig config, String property) {
    Duration value = config.duration(property);
    if (value.isZero() || value.isNegative()) {
      throw LeaException.user("Cannot open gs://" + location.bucket() + ": " + property + " is "
          + value + "; give a positive duration such as PT2M.");
    }
    return value;
  }

  /**
   * Options for an emulator (or the tests' fake) at {@code endpoint}: no credentials, and the
   * given retry settings, or the library's when {@code null}.
   */
  static HttpStorageOptions.Builder emulator(String endpoint, String project, RetrySettings retries) {
    HttpStorageOptions.Builder builder = StorageOptions.http()
        .setHost(endpoint)
        .setProjectId(project)
        .setCredentials(NoCredentials.getInstance())
        .setStorageRetryStrategy(StorageRetryStrategy.getDefaultStorageRetryStrategy());
    if (retries != null) {
      builder.setRetrySettings(retries);
    }
    return builder;
  }

  private static String checkEndpoint(String endpoint, Location location) {
    try {
      URI uri = new URI(endpoint);
      if ((uri.getScheme() != null && uri.getScheme().matches("https?")) && uri.getHost() != null) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
      }
    } catch (URISyntaxException e) {
      // reported below, with the rest of the bad values
    }
    throw LeaException.user("Cannot open gs://" + location.bucket() + ": "
        + GcsSettings.GCS_ENDPOINT + " (LEA_GCS_ENDPOINT) '" + endpoint
        + "' is not an http(s) URL. Give the emulator's base URL, e.g. http://localhost:4443,"
        + " or unset it to use Google Cloud Storage.");
  }

  private static GoogleCredentials applicationDefault(Location location) {
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw LeaException.user("Cannot open gs://" + location.bucket()
          + ": no Google Application Default Credentials were found. Run 'gcloud auth"
          + " application-default login', set GOOGLE_APPLICATION_CREDENTIALS to a service account"
          + " key file, or set " + GcsSettings.GCS_ENDPOINT + " (LEA_GCS_ENDPOINT) for an"
          + " emulator.", e);
    }
  }
}
