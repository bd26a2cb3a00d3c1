package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Files go up from the file (issue 16, "S3 parts from the file, not the heap"): one PutObject up
 * to the single-PUT limit, else parts read from slices of the file in parallel.
 */
class S3FileUploadIT {

  private static final String BUCKET = "file-uploads";
  private static final int MIB = 1024 * 1024;

  @RegisterExtension
  static final S3ProxyBucket PROXY = new S3ProxyBucket(BUCKET);

  @TempDir
  Path dir;

  private static S3ObjectStore store() {
    return PROXY.newSmallPartStore();
  }

  private Path file(String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] read(S3ObjectStore store, String key) throws IOException {
    try (ReadResult read = store.read(key, null)) {
      return read.content().readAllBytes();
    }
  }

  private static int pendingUploads() {
    try (S3Client client = PROXY.server().newClient()) {
      return client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
    }
  }

  @Test
  void aFileAboveTheSinglePutLimitGoesUpInPartsReadFromTheFile() throws IOException {
    Path file = file("big.sqlite", 13 * MIB + 17);
    try (S3ObjectStore store = store()) {
      ObjectInfo written = store.put("big.sqlite", file, Map.of("owner", "me"),
          Condition.ifAbsent());

      assertThat(written.size()).isEqualTo(13L * MIB + 17);
      assertThat(read(store, "big.sqlite")).isEqualTo(Files.readAllBytes(file));
      assertThat(store.head("big.sqlite").orElseThrow().metadata()).containsEntry("owner", "me");
    }
    assertThat(pendingUploads()).isZero();
  }

  @Test
  void aFileUpToTheLimitIsOnePut() throws IOException {
    Path small = file("small.sqlite", MIB);
    Path empty = Files.createFile(dir.resolve("empty.sqlite"));
    try (S3ObjectStore store = store()) {
      store.put("small.sqlite", small, Map.of(), Condition.none());
      store.put("empty.sqlite", empty, Map.of(), Condition.none());

      assertThat(read(store, "small.sqlite")).isEqualTo(Files.readAllBytes(small));
      assertThat(read(store, "empty.sqlite")).isEmpty();
    }
  }

  @Test
  void aStaleConditionOnAFileUploadsNothing() throws IOException {
    Path first = file("first.sqlite", 7 * MIB);
    Path second = file("second.sqlite", 11 * MIB);
    try (S3ObjectStore store = store()) {
      ObjectInfo v1 = store.put("c.sqlite", first, Map.of(), Condition.ifAbsent());
      store.put("c.sqlite", second, Map.of(), Condition.ifMatch(v1.version()));

      assertThatThrownBy(() -> store.put("c.sqlite", first, Map.of(),
          Condition.ifMatch(v1.version())))
          .isInstanceOf(PreconditionFailedException.class);
      assertThat(read(store, "c.sqlite")).isEqualTo(Files.readAllBytes(second));
    }
    assertThat(pendingUploads()).isZero();
  }
}
