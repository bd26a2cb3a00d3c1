package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The messages for answers S3Proxy cannot produce (regions), built as the SDK reports them. */
class S3ErrorsTest {

  private static final S3Errors.Endpoint AWS = new S3Errors.Endpoint(null, "us-east-1");

  private static S3Exception answer(int status, String code, String message, String header,
      String value) {
    SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
    if (header != null) {
      http.putHeader(header, value);
    }
    return (S3Exception) S3Exception.builder().statusCode(status).requestId("req-7")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
            .serviceName("S3").sdkHttpResponse(http.build()).build())
        .build();
  }

  @Test
  void aRedirectNamesTheBucketsRegion() {
    S3Exception redirect = answer(301, "PermanentRedirect", "The bucket you are attempting to"
        + " access must be addressed using the specified endpoint.", "x-amz-bucket-region",
        "eu-west-1");

    assertThatThrownBy(() -> S3Errors.failure("read", "s3://lake/c.sqlite", AWS, redirect))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot read s3://lake/c.sqlite: the bucket is in region eu-west-1, not"
            + " us-east-1 (PermanentRedirect). Set LEA_S3_REGION (lea.s3.region) or AWS_REGION"
            + " to the bucket's region.");
  }

  @Test
  void aMalformedAuthorizationHeaderNamesTheExpectedRegion() {
    S3Exception wrongRegion = answer(400, "AuthorizationHeaderMalformed", "The authorization"
        + " header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
        null, null);

    assertThatThrownBy(() -> S3Errors.failure("write", "s3://lake/c.sqlite", AWS, wrongRegion))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot write s3://lake/c.sqlite: the bucket is in region"
            + " eu-central-1, not us-east-1 (AuthorizationHeaderMalformed).");
  }

  @Test
  void deniedAccessIsTheUsersToFix() {
    S3Exception denied = answer(403, "AccessDenied", "Access Denied", null, null);

    assertThatThrownBy(() -> S3Errors.failure("delete", "s3://lake/c.sqlite.lock", AWS, denied))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot delete s3://lake/c.sqlite.lock: access denied (AccessDenied). Check"
            + " the credentials the AWS SDK found (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
            + " AWS_PROFILE, or an SSO login) and that they may delete objects in this bucket.");
  }

  @Test
  void otherServiceErrorsStayIoErrorsWithCodeAndRequestId() {
    S3Exception internal = answer(500, "InternalError", "We encountered an internal error.",
        null, null);

    IOException e = S3Errors.failure("write", "s3://lake/c.sqlite", AWS, internal);

    assertThat(e).hasMessage("Cannot write s3://lake/c.sqlite: S3 answered HTTP 500"
        + " InternalError (We encountered an internal error.), request id req-7.")
        .hasCause(internal);
  }

  @Test
  void missingCredentialsSayWhereTheSdkLooks() {
    SdkClientException none = SdkClientException.create("Unable to load credentials from any of"
        + " the providers in the chain");

    assertThatThrownBy(() -> S3Errors.failure("read", "r2://lake/c.sqlite", AWS, none))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot read r2://lake/c.sqlite: no AWS credentials were found. Set"
            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or log in with"
            + " 'aws sso login'.");
  }

  @Test
  void endpointsLoseTheirUserInfoInMessages() {
    assertThat(S3Errors.redact("http://key:secret@10.0.0.1:9000/x and https://a@b/"))
        .isEqualTo("http://10.0.0.1:9000/x and https://b/");
    assertThat(new S3Errors.Endpoint("https://id:pw@host", "auto").describe())
        .isEqualTo("https://host");
    assertThat(AWS.describe()).isEqualTo("AWS S3 (region us-east-1)");
  }
}
