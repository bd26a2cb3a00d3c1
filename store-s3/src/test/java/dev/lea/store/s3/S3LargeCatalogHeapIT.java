package dev.lea.store.s3;

import dev.lea.transport.HeapContract;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link HeapContract} against S3Proxy (in this JVM, so that only the client's memory is in the
 * child's 64 MiB heap): before, the S3 store's 8 MiB part buffers ran a 280 MiB round trip out of
 * memory at {@code -Xmx64m}.
 */
class S3LargeCatalogHeapIT extends HeapContract {

  private static final String BUCKET = "heap";

  @RegisterExtension
  static final S3ProxyBucket PROXY = new S3ProxyBucket(BUCKET);

  @Override
  protected String storeName() {
    return "s3";
  }

  @Override
  protected String bucketUrl() {
    return "s3://" + BUCKET;
  }

  @Override
  protected List<String> jvmOptions() {
    return List.of("-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY,
        "-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY);
  }

  @Override
  protected List<String> settings() {
    return List.of(S3Settings.S3_ENDPOINT + "=" + PROXY.server().endpoint(),
        S3Settings.S3_REGION + "=us-east-1", S3Settings.S3_PATH_STYLE + "=true");
  }
}
