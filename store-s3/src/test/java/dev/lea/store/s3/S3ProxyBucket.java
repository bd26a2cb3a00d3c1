package dev.lea.store.s3;

import dev.lea.store.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A bucket on an in-process S3Proxy for one test class's contract: register it as a static
 * {@code @RegisterExtension} field and open stores on it.
 */
final class S3ProxyBucket implements BeforeAllCallback, AfterAllCallback {

  private final String bucket;
  // Nested test classes run the callbacks of their enclosing class's extensions too: the server
  // lives from the outermost class's start to its end.
  private int depth;
  private Path blobs;
  private S3ProxyServer server;

  S3ProxyBucket(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (depth++ > 0) {
      return;
    }
    blobs = Files.createTempDirectory("lea-s3proxy-");
    server = S3ProxyServer.start(blobs);
    server.createBucket(bucket);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (--depth > 0) {
      return;
    }
    server.close();
    try (Stream<Path> paths = Files.walk(blobs)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** A store on the bucket as the contract tests see it: {@link S3ProxyServer#newContractStore}. */
  ObjectStore newStore() {
    return server.newContractStore(bucket);
  }
}
