package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3Proxy on a directory, on a free loopback port, checking AWS v4 signatures, with
 * one bucket. Copied in spirit from store-s3's test server (which is not published as a jar) and
 * cut to what the benchmarks need: lea's store reaches it through its own settings and the SDK's
 * default credentials chain, the floor through a plain SDK client.
 */
final class S3Fake implements AutoCloseable {

  static final String BUCKET = "lea-bench";
  private static final String ACCESS_KEY = "lea-bench-access";
  private static final String SECRET_KEY = "lea-bench-secret";

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3Fake(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Starts the server on {@code directory} and creates {@link #BUCKET}. */
  static S3Fake start(Path directory) throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(directory.toString()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    S3Fake fake = new S3Fake(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    try (S3Client client = fake.newClient()) {
      client.createBucket(b -> b.bucket(BUCKET));
    } catch (RuntimeException e) {
      fake.close();
      throw e;
    }
    // lea's store takes credentials from the SDK's default chain, which reads these first.
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    return fake;
  }

  /** {@code config} pointed at this server, as a user would set it for an S3-compatible store. */
  LeaConfig configure(LeaConfig config) {
    return config.with(LeaSettings.S3_ENDPOINT, endpoint.toString())
        .with(LeaSettings.S3_PATH_STYLE, "true")
        .with(LeaSettings.S3_REGION, Region.US_EAST_1.id());
  }

  /** A plain SDK client for the same server, the way an application would build one. */
  S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
