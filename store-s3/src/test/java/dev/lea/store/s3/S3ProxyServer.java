package dev.lea.store.s3;

import dev.lea.store.Capability;
import dev.lea.store.ObjectStore;
import dev.lea.testing.InProcessS3;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * lea-testing's {@link InProcessS3} with what this module's tests reach it through: the client
 * settings the provider would build, and stores as the contract tests see them. Public for the
 * contract tests of other packages and the Maven plugin's ITs.
 */
public final class S3ProxyServer implements AutoCloseable {

  static final String ACCESS_KEY = InProcessS3.ACCESS_KEY;
  static final String SECRET_KEY = InProcessS3.SECRET_KEY;

  private final InProcessS3 server;

  private S3ProxyServer(InProcessS3 server) {
    this.server = server;
  }

  public static S3ProxyServer start(Path directory) throws Exception {
    return new S3ProxyServer(InProcessS3.start(directory));
  }

  URI endpoint() {
    return server.endpoint();
  }

  /** Settings as the provider would build them for {@code lea.s3.endpoint} and path style. */
  S3ClientSettings settings() {
    return new S3ClientSettings("s3", endpoint(), Region.US_EAST_1, true, true);
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  S3Client newClient() {
    return settings().newClient(credentials());
  }

  S3Client newClient(URI endpointOverride) {
    return new S3ClientSettings("s3", endpointOverride, Region.US_EAST_1, true, true)
        .newClient(credentials());
  }

  public void createBucket(String bucket) {
    server.createBucket(bucket);
  }

  /**
   * A store on {@code bucket} as the contract tests see it. S3Proxy checks {@code If-Match} and
   * then writes, in two steps: of 16 writers racing on one version, several (up to all 16) were
   * seen to succeed. Real S3 checks atomically, so {@link S3ObjectStore} claims
   * {@code ATOMIC_IF_MATCH}; here the claim is withdrawn, so that the tests which rely on it are
   * skipped with that reason instead of failing at random.
   */
  public ObjectStore newContractStore(String bucket) {
    return new WithoutCapability(new S3ObjectStore("s3", bucket, newClient()),
        Capability.ATOMIC_IF_MATCH);
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
