package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lea.store.Condition;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.regions.Region;

/**
 * Issue 17 item 2: against a trickling endpoint a run hung past 200 s, against a silent one it
 * failed only after 306 s, holding its lock all along. With {@code lea.store.attemptTimeout} and
 * {@code lea.store.requestTimeout} each request fails at its deadline, naming the setting. The
 * preemptive limit only keeps a regression from hanging the build; it is far above the deadlines.
 *
 * <p>The tests spend their time waiting for deadlines, each through its own relay and on its own
 * key: they run side by side where the build enables JUnit's parallel execution (this module's
 * failsafe configuration).
 */
class S3DeadlineIT {

  private static final String BUCKET = "deadlines";
  private static final int MIB = 1024 * 1024;
  private static final Duration ATTEMPT = Duration.ofSeconds(2);
  private static final Duration REQUEST = Duration.ofSeconds(4);
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  @RegisterExtension
  static final S3ProxyBucket PROXY = new S3ProxyBucket(BUCKET);

  private static S3ObjectStore store(URI endpoint) {
    S3ClientSettings settings = new S3ClientSettings("s3", endpoint, Region.US_EAST_1, true, true,
        ATTEMPT, REQUEST);
    return new S3ObjectStore("s3", BUCKET, settings.newClient(S3ProxyServer.credentials()),
        new UploadTuning(16L * MIB, 5 * MIB, 2));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aSilentEndpointFailsAtTheRequestDeadline() throws Exception {
    try (TricklingRelay silent = TricklingRelay.silent();
        S3ObjectStore store = store(silent.endpoint())) {
      assertTimeoutPreemptively(HANG_GUARD, () ->
          assertThatThrownBy(() -> store.head("catalog.sqlite"))
              .isInstanceOf(IOException.class)
              .hasMessageStartingWith("Cannot read s3://deadlines/catalog.sqlite: ")
              .hasMessageContaining("did not complete the request within PT4S, retries included"
                  + " (lea.store.requestTimeout, LEA_STORE_REQUEST_TIMEOUT)"));
    }
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aTricklingUploadFailsAtTheDeadline() throws Exception {
    byte[] body = new byte[8 * MIB];
    try (TricklingRelay trickle = TricklingRelay.trickling(PROXY.server().endpoint(),
            TricklingRelay.Direction.REQUEST, 64 * 1024, 50);
        S3ObjectStore store = store(trickle.endpoint())) {
      assertTimeoutPreemptively(HANG_GUARD, () ->
          assertThatThrownBy(() -> store.put("catalog.sqlite", new ByteArrayInputStream(body),
              body.length, Map.of(), Condition.none()))
              .isInstanceOf(IOException.class)
              .hasMessageStartingWith("Cannot write s3://deadlines/catalog.sqlite: ")
              .hasMessageContaining("lea.store.")
              .hasMessageContaining("for a slow link."));
    }
  }

  /**
   * A file up to the single-PUT limit is one PutObject, which carries what would have been five
   * parts; at 8 MB/s at most it takes longer than one attempt's 2 seconds, as a large catalog on a
   * modest link takes longer than lea.store.attemptTimeout, yet each 5 MiB part would have made
   * it. It gets the deadlines of the parts it replaces and arrives.
   */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aSinglePutGetsTheDeadlinesOfThePartsItReplaces(@TempDir Path dir) throws Exception {
    byte[] bytes = new byte[25 * MIB];
    new Random(25).nextBytes(bytes);
    Path file = Files.write(dir.resolve("catalog.sqlite"), bytes);
    try (TricklingRelay link = TricklingRelay.throttled(PROXY.server().endpoint(),
            TricklingRelay.Direction.REQUEST, 64 * 1024, 8);
        S3ObjectStore store = new S3ObjectStore("s3", BUCKET, new S3ClientSettings("s3",
            link.endpoint(), Region.US_EAST_1, true, true, ATTEMPT, REQUEST)
            .newClient(S3ProxyServer.credentials()), new UploadTuning(64L * MIB, 5 * MIB, 2))) {
      assertTimeoutPreemptively(HANG_GUARD, () ->
          store.put("single.sqlite", file, Map.of(), Condition.none()));
    }
    try (S3ObjectStore direct = store(PROXY.server().endpoint());
        ReadResult read = direct.read("single.sqlite", null)) {
      assertThat(read.content().readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aTricklingDownloadFailsWhenAPartDoesNotArriveInTime() throws Exception {
    byte[] body = new byte[MIB];
    Arrays.fill(body, (byte) 7);
    try (S3ObjectStore direct = store(PROXY.server().endpoint())) {
      direct.put("trickled.sqlite", new ByteArrayInputStream(body), body.length, Map.of(),
          Condition.none());
    }
    try (TricklingRelay trickle = TricklingRelay.trickling(PROXY.server().endpoint(),
            TricklingRelay.Direction.RESPONSE, 64 * 1024, 50);
        S3ObjectStore store = store(trickle.endpoint());
        ReadResult read = store.read("trickled.sqlite", null)) {
      assertThat(read.status()).isEqualTo(ReadResult.Status.FOUND);
      InputStream content = read.content();
      assertTimeoutPreemptively(HANG_GUARD, () ->
          assertThatThrownBy(content::readAllBytes)
              .isInstanceOf(IOException.class)
              .hasMessageStartingWith("Cannot read s3://deadlines/trickled.sqlite: the endpoint"
                  + " sent only ")
              .hasMessageContaining("bytes in PT2S")
              .hasMessageContaining("lea.store.attemptTimeout (LEA_STORE_ATTEMPT_TIMEOUT)"
                  + " expects 5242880 bytes within that time"));
    }
  }
}
