package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.store.Condition;
import dev.lea.store.Increments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file upload counts its bytes part by part as S3 acknowledges them (issue 18, the progress
 * line of a catalog upload), while the parts still go up from slices of the file.
 */
class S3UploadProgressIT {

  private static final String BUCKET = "upload-progress";
  private static final long MIB = 1024 * 1024;

  @RegisterExtension
  static final S3ProxyBucket PROXY = new S3ProxyBucket(BUCKET);

  @TempDir
  Path dir;

  private Path file(long size) throws IOException {
    byte[] bytes = new byte[(int) size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve("catalog.sqlite"), bytes);
  }

  @Test
  void aMultipartFileUploadCountsEachPartOnceAcknowledged() throws IOException {
    Path file = file(13 * MIB + 17);
    Increments sent = new Increments();
    try (S3ObjectStore store = PROXY.newSmallPartStore()) {
      store.put("big.sqlite", file, Map.of(), Condition.none(), sent);
    }

    assertThat(sent.added()).containsExactlyInAnyOrder(5 * MIB, 5 * MIB, 3 * MIB + 17);
    assertThat(sent.sum()).isEqualTo(Files.size(file));
  }

  @Test
  void aSinglePutCountsTheWholeFileOnceWritten() throws IOException {
    Path file = file(MIB);
    Increments sent = new Increments();
    try (S3ObjectStore store = PROXY.newSmallPartStore()) {
      store.put("small.sqlite", file, Map.of(), Condition.none(), sent);
    }

    assertThat(sent.added()).containsExactly(MIB);
  }
}
