package dev.lea.store.s3;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * How to reach the bucket of an {@code s3://} or {@code r2://} location, from the lea
 * configuration. Only lea's own keys are read here; the SDK reads its own environment itself
 * ({@code AWS_REGION}, {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL_S3}, credentials,
 * {@code AWS_REQUEST_CHECKSUM_CALCULATION}), so those work as AWS users expect.
 *
 * @param endpoint the endpoint override, or {@code null} to let the SDK choose (AWS, or
 *     {@code AWS_ENDPOINT_URL_S3} when set)
 * @param region the signing region
 * @param regionConfigured whether the user chose the region; when not, requests follow the
 *     bucket's region instead of failing on a redirect
 * @param attemptTimeout the deadline of one attempt of a request ({@code lea.store.attemptTimeout})
 * @param requestTimeout the deadline of a request with its retries ({@code lea.store.requestTimeout})
 */
record S3ClientSettings(
    String scheme, URI endpoint, Region region, boolean regionConfigured, boolean pathStyle,
    Duration attemptTimeout, Duration requestTimeout) {

  /** Settings with the default deadlines. */
  S3ClientSettings(
      String scheme, URI endpoint, Region region, boolean regionConfigured, boolean pathStyle) {
    this(scheme, endpoint, region, regionConfigured, pathStyle,
        ConfigResolver.parseDuration(LeaSettings.STORE_ATTEMPT_TIMEOUT_DEFAULT),
        ConfigResolver.parseDuration(LeaSettings.STORE_REQUEST_TIMEOUT_DEFAULT));
  }

  /** The same settings with other deadlines. */
  S3ClientSettings withTimeouts(Duration attempt, Duration request) {
    return new S3ClientSettings(scheme, endpoint, region, regionConfigured, pathStyle, attempt,
        request);
  }

  static final String R2_REGION = "auto";
  /** Cloudflare account ids are hex; anything else must not become part of a host name. */
  private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9]{1,64}");
  private static final int MAX_ATTEMPTS = 5;

  static S3ClientSettings resolve(Location location, LeaConfig config) {
    Duration attempt = positive(location, config, LeaSettings.STORE_ATTEMPT_TIMEOUT);
    Duration request = positive(location, config, LeaSettings.STORE_REQUEST_TIMEOUT);
    return resolveEndpoint(location, config).withTimeouts(attempt, request);
  }

  private static Duration positive(Location location, LeaConfig config, String property) {
    Duration value = config.duration(property);
    if (value.isZero() || value.isNegative()) {
      throw LeaException.user("Cannot open " + location + ": " + property + " is " + value
          + "; give a positive duration such as PT2M.");
    }
    return value;
  }

  private static S3ClientSettings resolveEndpoint(Location location, LeaConfig config) {
    boolean pathStyle = config.flag(S3Settings.S3_PATH_STYLE);
    if (location.scheme().equals("r2")) {
      String accountId = config.find(S3Settings.R2_ACCOUNT_ID).orElseThrow(() -> LeaException.user(
          "Cannot open " + location + ": the Cloudflare account id is not set. Set LEA_R2_ACCOUNT_ID"
              + " (or -D" + S3Settings.R2_ACCOUNT_ID + ") to the account id shown in the"
              + " Cloudflare dashboard under R2."));
      if (!ACCOUNT_ID.matcher(accountId).matches()) {
        throw LeaException.user("Cannot open " + location + ": LEA_R2_ACCOUNT_ID '" + accountId
            + "' is not a Cloudflare account id. Use the 32-character hex id from the Cloudflare"
            + " dashboard.");
      }
      return new S3ClientSettings("r2", r2Endpoint(accountId), Region.of(R2_REGION), true,
          pathStyle);
    }
    URI endpoint = config.find(S3Settings.S3_ENDPOINT).map(e -> endpoint(location, e))
        .orElse(null);
    Optional<String> region = config.find(S3Settings.S3_REGION);
    if (region.isPresent()) {
      return new S3ClientSettings(location.scheme(), endpoint, Region.of(region.get()), true,
          pathStyle);
    }
    Optional<Region> fromChain = regionFromSdkChain();
    return new S3ClientSettings(location.scheme(), endpoint, fromChain.orElse(Region.US_EAST_1),
        fromChain.isPresent(), pathStyle);
  }

  static URI r2Endpoint(String accountId) {
    return URI.create("https://" + accountId.toLowerCase(Locale.ROOT)
        + ".r2.cloudflarestorage.com");
  }

  private static URI endpoint(Location location, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw badEndpoint(location, value, e.getReason());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http")
        || uri.getScheme().equals("https")) || uri.getHost() == null) {
      throw badEndpoint(location, value, "it is not an http:// or https:// URL with a host");
    }
    return uri;
  }

  private static LeaException badEndpoint(Location location, String value, String reason) {
    return LeaException.user("Cannot open " + location + ": LEA_S3_ENDPOINT ("
        + S3Settings.S3_ENDPOINT + ") '" + S3Errors.redact(value) + "' is invalid: " + reason
        + ". Give a URL such as https://s3.example.com or http://127.0.0.1:9000.");
  }

  private static Optional<Region> regionFromSdkChain() {
    try {
      return Optional.of(new DefaultAwsRegionProviderChain().getRegion());
    } catch (SdkClientException e) {
      return Optional.empty();
    }
  }

  /**
   * A client for these settings with the SDK's default credentials chain, which the client owns
   * and closes with itself; the caller owns (and closes) the client.
   */
  S3Client newClient() {
    return builder().build();
  }

  /** A client for these settings with the given credentials. */
  S3Client newClient(AwsCredentialsProvider credentials) {
    return builder().credentialsProvider(credentials).build();
  }

  private S3ClientBuilder builder() {
    S3ClientBuilder builder = S3Client.builder()
        .region(region)
        .forcePathStyle(pathStyle)
        // Throttling (503 SlowDown), 5xx and dropped connections are retried with backoff; a
        // conditional write that is retried after its first attempt succeeded is recognised by
        // its write id (see S3ObjectStore).
        .overrideConfiguration(c -> c.retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS)
                .build())
            // A trickling or silent endpoint fails the run instead of holding it (and its lock).
            .apiCallAttemptTimeout(attemptTimeout)
            .apiCallTimeout(requestTimeout));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (!regionConfigured) {
      builder.crossRegionAccessEnabled(true);
    }
    return builder;
  }
}
