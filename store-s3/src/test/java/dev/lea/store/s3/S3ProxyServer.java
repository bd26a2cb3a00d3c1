package dev.lea.store.s3;

import dev.lea.store.Capability;
import dev.lea.store.ObjectStore;
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
 * An in-process S3Proxy on a directory, bound to a free loopback port, with AWS v4 signatures
 * checked against fixed test credentials. Public for the contract tests of other packages.
 */
public final class S3ProxyServer implements AutoCloseable {

  static final String ACCESS_KEY = "lea-test-access";
  static final String SECRET_KEY = "lea-test-secret";

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3ProxyServer(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  public static S3ProxyServer start(Path directory) throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(directory.toString()))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    return new S3ProxyServer(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  URI endpoint() {
    return endpoint;
  }

  /** Settings as the provider would build them for {@code lea.s3.endpoint} and path style. */
  S3ClientSettings settings() {
    return new S3ClientSettings("s3", endpoint, Region.US_EAST_1, true, true);
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
    try (S3Client client = newClient()) {
      client.createBucket(b -> b.bucket(bucket));
    }
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
    proxy.stop();
  }
}
