package dev.lea.store.s3.reliability;

import dev.lea.config.LeaConfig;
import dev.lea.reliability.FaultContract;
import dev.lea.store.s3.S3Settings;
import dev.lea.testing.FaultProxy;
import dev.lea.testing.FaultProxy.Unavailable;
import dev.lea.testing.InProcessS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fault contract on {@code s3://}, against S3Proxy, with lea's retry settings: 5 attempts.
 * A download cut halfway fails and keeps the local copy; the next one succeeds.
 */
class S3FaultIT extends FaultContract {

  private static final String BUCKET = "reliability";

  @Override
  protected Faults startStore(Path dir) throws Exception {
    InProcessS3 s3 = InProcessS3.start(Files.createDirectories(dir.resolve("blobs")), BUCKET);
    FaultProxy proxy = new FaultProxy(s3.endpoint(), Unavailable.S3_SLOW_DOWN);
    LeaConfig config = LeaConfig.defaults(dir)
        .with(S3Settings.S3_ENDPOINT, proxy.endpoint().toString())
        .with(S3Settings.S3_REGION, "us-east-1")
        .with(S3Settings.S3_PATH_STYLE, "true");
    return new Faults(proxy, "s3://" + BUCKET + "/" + KEY, config,
        // The SDK's default chain reads these before the environment.
        Map.of("aws.accessKeyId", InProcessS3.ACCESS_KEY,
            "aws.secretAccessKey", InProcessS3.SECRET_KEY),
        head -> head.startsWith("PUT "), head -> head.startsWith("GET "), 3, 5, 5, false, s3);
  }
}
