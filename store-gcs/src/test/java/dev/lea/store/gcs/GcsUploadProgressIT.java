package dev.lea.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.store.Condition;
import dev.lea.store.Increments;
import dev.lea.store.ReadResult;
import dev.lea.testing.FakeGcsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file upload counts its bytes as the client reads them to send, a chunk at a time (issue 18,
 * the progress line of a catalog upload).
 */
class GcsUploadProgressIT {

  private static final String BUCKET = "upload-progress";
  private static final int MIB = 1024 * 1024;

  @TempDir
  Path dir;

  @Test
  void aResumableFileUploadCountsItsBytesAsTheyAreRead() throws IOException {
    byte[] bytes = new byte[3 * MIB + 17];
    new Random(18).nextBytes(bytes);
    Path file = Files.write(dir.resolve("catalog.sqlite"), bytes);
    Increments sent = new Increments();
    try (FakeGcsServer fake = FakeGcsServer.start()) {
      fake.createBucket(BUCKET);
      try (GcsObjectStore store = new GcsObjectStore(FakeGcs.client(fake.endpoint()), BUCKET,
          MIB)) {
        store.put("big.sqlite", file, Map.of(), Condition.none(), sent);

        try (ReadResult read = store.read("big.sqlite", null)) {
          assertThat(read.content().readAllBytes()).isEqualTo(bytes);
        }
      }
    }

    assertThat(sent.sum()).isEqualTo(bytes.length);
    assertThat(sent.added()).hasSizeGreaterThanOrEqualTo(4);
  }
}
