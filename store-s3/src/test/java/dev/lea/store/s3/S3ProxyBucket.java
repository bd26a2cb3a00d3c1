package dev.lea.store.s3;

import dev.lea.store.ObjectStore;
import dev.lea.store.SharedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A bucket on an in-process S3Proxy that one test class shares; open stores on it. */
final class S3ProxyBucket extends SharedServer {

  private final String bucket;
  private S3ProxyServer server;
  private Path blobs;

  S3ProxyBucket(String bucket) {
    this.bucket = bucket;
  }

  @Override
  protected AutoCloseable start() throws Exception {
    blobs = Files.createTempDirectory("lea-s3proxy-");
    server = S3ProxyServer.start(blobs);
    server.createBucket(bucket);
    return () -> {
      server.close();
      try (Stream<Path> paths = Files.walk(blobs)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    };
  }

  S3ProxyServer server() {
    return server;
  }

  /** The file in which S3Proxy's filesystem store keeps {@code key}'s bytes, as they are. */
  Path objectFile(String key) {
    return blobs.resolve(bucket).resolve(key);
  }

  /**
   * A store on the bucket with parts of 5 MiB, two at a time, above a single-PUT limit of 6 MiB:
   * small enough that tests reach the multipart path with a few MiB.
   */
  S3ObjectStore newSmallPartStore() {
    return new S3ObjectStore("s3", bucket, server.newClient(),
        new UploadTuning(6L << 20, 5 << 20, 2));
  }

  /** A store on the bucket as the contract tests see it: {@link S3ProxyServer#newContractStore}. */
  ObjectStore newStore() {
    return server.newContractStore(bucket);
  }
}
