package dev.lea.store.s3;

import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into messages a user can act on. Errors the user can fix (a missing bucket,
 * denied access, the wrong region, an unreachable endpoint, no credentials) become a
 * {@link LeaException}; anything else an {@link IOException} with the same {@code Cannot <verb>
 * <url>: <reason>.} shape. Only the service's error code and message are quoted, never the raw
 * response, which for signature errors echoes the request's signing details.
 */
final class S3Errors {

  private static final Set<String> ACCESS_CODES = Set.of("AccessDenied", "InvalidAccessKeyId",
      "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
      "AllAccessDisabled", "AccountProblem");
  private static final Set<String> REGION_CODES = Set.of("PermanentRedirect",
      "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "Redirect");
  private static final Pattern EXPECTED_REGION = Pattern.compile("expecting '([a-z0-9-]+)'");
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@]*@");

  private S3Errors() {}

  /**
   * The exception for a failed request.
   *
   * @param verb what was attempted: {@code read}, {@code write}, {@code delete}, {@code list}
   * @param url the object or prefix, {@code s3://bucket/key}
   * @param where the endpoint and region, for messages
   * @throws LeaException when the user can fix the cause
   */
  static IOException failure(String verb, String url, Endpoint where, SdkException e) {
    String prefix = "Cannot " + verb + " " + url + ": ";
    if (e instanceof AwsServiceException service) {
      String code = code(service);
      int status = service.statusCode();
      if (code.equals("NoSuchBucket")) {
        throw noSuchBucket(verb, url, where, e);
      }
      if (status == 301 || REGION_CODES.contains(code)) {
        String actual = bucketRegion(service).map(r -> "region " + r)
            .orElse("another region");
        throw LeaException.user(prefix + "the bucket is in " + actual + ", not "
            + where.region() + " (" + (code.isEmpty() ? "HTTP " + status : code) + ")."
            + " Set LEA_S3_REGION (lea.s3.region) or AWS_REGION to the bucket's region.", e);
      }
      if (status == 403 || ACCESS_CODES.contains(code)) {
        throw LeaException.user(prefix + "access denied (" + (code.isEmpty() ? "HTTP 403" : code)
            + "). Check the credentials the AWS SDK found (AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or an SSO login) and that they may " + verb
            + " objects in this bucket.", e);
      }
      return new IOException(prefix + "S3 answered HTTP " + status
          + (code.isEmpty() ? "" : " " + code)
          + (message(service).isEmpty() ? "" : " (" + message(service) + ")")
          + (service.requestId() == null ? "" : ", request id " + service.requestId()) + ".", e);
    }
    if (e instanceof ApiCallTimeoutException) {
      return new IOException(prefix + where.describe() + " did not complete the request within "
          + where.requestTimeout() + ", retries included (" + LeaSettings.STORE_REQUEST_TIMEOUT
          + ", LEA_STORE_REQUEST_TIMEOUT). Check the network or the endpoint, or raise "
          + LeaSettings.STORE_REQUEST_TIMEOUT + " for a slow link.", e);
    }
    if (e instanceof ApiCallAttemptTimeoutException) {
      return new IOException(prefix + where.describe() + " did not answer within "
          + where.attemptTimeout() + " (" + LeaSettings.STORE_ATTEMPT_TIMEOUT
          + ", LEA_STORE_ATTEMPT_TIMEOUT). Check the network or the endpoint, or raise "
          + LeaSettings.STORE_ATTEMPT_TIMEOUT + " for a slow link.", e);
    }
    if (e instanceof SdkClientException && unreachable(e)) {
      throw LeaException.infrastructure(prefix + "the endpoint " + where.describe()
          + " cannot be reached (" + rootMessage(e) + "). Check LEA_S3_ENDPOINT"
          + " (lea.s3.endpoint) or AWS_ENDPOINT_URL_S3, and the network.", e);
    }
    if (e instanceof SdkClientException && String.valueOf(e.getMessage())
        .contains("Unable to load credentials")) {
      throw LeaException.user(prefix + "no AWS credentials were found. Set AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or log in with 'aws sso login'.", e);
    }
    return new IOException(prefix + rootMessage(e) + ".", e);
  }

  static LeaException noSuchBucket(String verb, String url, Endpoint where, Throwable cause) {
    return LeaException.user("Cannot " + verb + " " + url + ": the bucket does not exist at "
        + where.describe() + ". Create it, or correct the bucket name in the URL.", cause);
  }

  static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
        ? "" : e.awsErrorDetails().errorCode();
  }

  private static String message(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
        ? "" : e.awsErrorDetails().errorMessage();
  }

  private static Optional<String> bucketRegion(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null) {
      Optional<String> header = e.awsErrorDetails().sdkHttpResponse()
          .firstMatchingHeader("x-amz-bucket-region");
      if (header.isPresent()) {
        return header;
      }
    }
    Matcher m = EXPECTED_REGION.matcher(message(e));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getMessage();
    return redact(message);
  }

  /** Removes {@code user:password@} from URLs so that no credential reaches a message. */
  static String redact(String text) {
    return USER_INFO.matcher(text).replaceAll("");
  }

  /**
   * Where a client sends requests and its deadlines, for messages.
   *
   * @param attemptTimeout the deadline of one attempt, or {@code null} for none
   * @param requestTimeout the deadline of a request with its retries, or {@code null} for none
   */
  record Endpoint(String endpoint, String region, Duration attemptTimeout,
      Duration requestTimeout) {

    Endpoint(String endpoint, String region) {
      this(endpoint, region, null, null);
    }

    /** The same endpoint with {@code times} the deadlines, for a request as large as that. */
    Endpoint times(long times) {
      return new Endpoint(endpoint, region,
          attemptTimeout == null ? null : attemptTimeout.multipliedBy(times),
          requestTimeout == null ? null : requestTimeout.multipliedBy(times));
    }

    String describe() {
      return endpoint == null ? "AWS S3 (region " + region + ")" : redact(endpoint);
    }
  }
}
