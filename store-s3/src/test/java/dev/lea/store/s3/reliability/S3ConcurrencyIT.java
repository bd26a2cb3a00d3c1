package dev.lea.store.s3.reliability;

import dev.lea.reliability.MultiWriterContract;
import dev.lea.store.s3.S3Settings;
import dev.lea.testing.InProcessS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The multi-writer contract on an {@code s3://} catalog served by S3Proxy in this JVM. S3Proxy
 * creates objects with {@code If-None-Match: *} atomically, so {@code lock-file} runs are serial;
 * it checks {@code If-Match} and then writes in a second step, so more than one writer of a
 * {@code conditional-write} round may be told it won (real S3 checks atomically: exactly one).
 */
class S3ConcurrencyIT extends MultiWriterContract {

  private static final String BUCKET = "concurrency";

  @Override
  protected Bucket startBucket(Path dir) throws Exception {
    InProcessS3 s3 = InProcessS3.start(Files.createDirectories(dir.resolve("blobs")), BUCKET);
    return new Bucket("s3://" + BUCKET + "/",
        Map.of(S3Settings.S3_ENDPOINT, s3.endpoint().toString(),
            S3Settings.S3_REGION, "us-east-1",
            S3Settings.S3_PATH_STYLE, "true"),
        // The SDK's default chain reads these before the environment.
        Map.of("aws.accessKeyId", InProcessS3.ACCESS_KEY,
            "aws.secretAccessKey", InProcessS3.SECRET_KEY),
        false, s3);
  }

  @Override
  protected int conditionalProcesses() {
    return 5;
  }
}
