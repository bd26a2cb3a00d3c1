package dev.lea.testing;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/**
 * An in-process S3Proxy on a directory, bound to a free loopback port, with AWS v4 signatures
 * checked against fixed test credentials ({@link #ACCESS_KEY}, {@link #SECRET_KEY}).
 */
public final class InProcessS3 implements AutoCloseable {

  public static final String ACCESS_KEY = "lea-test-access";
  public static final String SECRET_KEY = "lea-test-secret";

  private final S3Proxy proxy;
  private final FilesystemNio2BlobStore blobs;
  private final URI endpoint;

  private InProcessS3(S3Proxy proxy, FilesystemNio2BlobStore blobs) {
    this.proxy = proxy;
    this.blobs = blobs;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** Starts a server keeping its buckets in {@code directory}, with {@code buckets}. */
  public static InProcessS3 start(Path directory, String... buckets) throws Exception {
    FilesystemNio2BlobStore blobs = new FilesystemNio2BlobStore(directory.toString());
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(blobs)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    InProcessS3 server = new InProcessS3(proxy, blobs);
    for (String bucket : buckets) {
      server.createBucket(bucket);
    }
    return server;
  }

  public URI endpoint() {
    return endpoint;
  }

  public void createBucket(String bucket) {
    blobs.createContainer(CreateBucketRequest.builder().bucket(bucket).build());
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
