package dev.lea.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.testing.FakeGcsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake itself, spoken to over plain HTTP (not through the GCS client), so that the store's
 * tests stand on a fake whose preconditions are proven.
 */
class FakeGcsServerIT {

  private static final int RACERS = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private FakeGcsServer fake;
  private String base;

  @BeforeEach
  void start() throws IOException {
    fake = FakeGcsServer.start();
    fake.createBucket("b");
    base = fake.endpoint();
  }

  @AfterEach
  void stop() throws IOException {
    fake.close();
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(base).startsWith("http://127.0.0.1:");
  }

  @Test
  void multipartUploadStoresContentAndMetadata() throws Exception {
    HttpResponse<String> created = multipart("dir/obj", "hello", "{\"k\":\"v\"}", "ifGenerationMatch=0");

    assertThat(created.statusCode()).isEqualTo(200);
    JsonNode object = JSON.readTree(created.body());
    assertThat(object.path("name").asText()).isEqualTo("dir/obj");
    assertThat(object.path("size").asText()).isEqualTo("5");
    assertThat(object.path("metadata").path("k").asText()).isEqualTo("v");
    String generation = object.path("generation").asText();
    assertThat(Long.parseLong(generation)).isPositive();

    HttpResponse<String> metadata = get("/storage/v1/b/b/o/dir%2Fobj", null);
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(metadata.body()).path("generation").asText()).isEqualTo(generation);
    HttpResponse<String> media = get("/download/storage/v1/b/b/o/dir%2Fobj?alt=media", null);
    assertThat(media.body()).isEqualTo("hello");
    assertThat(media.headers().firstValue("x-goog-generation")).contains(generation);
    assertThat(media.headers().firstValue("x-goog-meta-k")).contains("v");
  }

  @Test
  void badGenerationsAnswer412WithConditionNotMet() throws Exception {
    String generation = generationOf(multipart("obj", "one", "{}", "ifGenerationMatch=0"));

    HttpResponse<String> again = multipart("obj", "two", "{}", "ifGenerationMatch=0");
    assertConditionNotMet(again);
    assertConditionNotMet(multipart("obj", "two", "{}", "ifGenerationMatch=" + (Long.parseLong(generation) + 1)));
    assertConditionNotMet(multipart("missing", "two", "{}", "ifGenerationMatch=" + generation));
    assertConditionNotMet(get("/storage/v1/b/b/o/obj?ifGenerationMatch=1", null));
    assertConditionNotMet(delete("/storage/v1/b/b/o/obj?ifGenerationMatch=1"));
    assertConditionNotMet(multipart("obj", "two", "{}", "ifMetagenerationMatch=7"));

    assertThat(get("/storage/v1/b/b/o/obj?alt=media", null).body()).isEqualTo("one");
    HttpResponse<String> replaced = multipart("obj", "two", "{}", "ifGenerationMatch=" + generation);
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(Long.parseLong(generationOf(replaced))).isGreaterThan(Long.parseLong(generation));
  }

  @Test
  void ifGenerationNotMatchAnswersNotModifiedForTheCurrentGeneration() throws Exception {
    String generation = generationOf(multipart("obj", "one", "{}", "ifGenerationMatch=0"));

    assertThat(get("/storage/v1/b/b/o/obj?ifGenerationNotMatch=" + generation, null).statusCode())
        .isEqualTo(304);
    assertThat(get("/storage/v1/b/b/o/obj?alt=media&ifGenerationNotMatch=" + generation, null)
        .statusCode()).isEqualTo(304);
    HttpResponse<String> changed = get("/storage/v1/b/b/o/obj?alt=media&ifGenerationNotMatch=1", null);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo("one");
  }

  @Test
  void deleteHonoursGenerationsAndAnswers404ForMissingObjects() throws Exception {
    String generation = generationOf(multipart("obj", "one", "{}", "ifGenerationMatch=0"));

    assertConditionNotMet(delete("/storage/v1/b/b/o/obj?ifGenerationMatch=" + (Long.parseLong(generation) + 5)));
    assertThat(delete("/storage/v1/b/b/o/obj?ifGenerationMatch=" + generation).statusCode())
        .isEqualTo(204);
    assertThat(delete("/storage/v1/b/b/o/obj").statusCode()).isEqualTo(404);
    assertThat(get("/storage/v1/b/b/o/obj", null).statusCode()).isEqualTo(404);
  }

  @Test
  void missingBucketAnswers404NamingIt() throws Exception {
    HttpResponse<String> bucket = get("/storage/v1/b/nope", null);
    HttpResponse<String> object = get("/storage/v1/b/nope/o/x", null);

    assertThat(bucket.statusCode()).isEqualTo(404);
    assertThat(object.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(object.body()).path("error").path("message").asText())
        .isEqualTo("The specified bucket does not exist.");
    assertThat(get("/storage/v1/b/b", null).statusCode()).isEqualTo(200);
  }

  @Test
  void mediaDownloadHonoursRanges() throws Exception {
    multipart("digits", "0123456789", "{}", "");

    HttpResponse<String> middle = get("/download/storage/v1/b/b/o/digits?alt=media", "bytes=2-5");
    HttpResponse<String> tail = get("/download/storage/v1/b/b/o/digits?alt=media", "bytes=7-");
    HttpResponse<String> suffix = get("/download/storage/v1/b/b/o/digits?alt=media", "bytes=-3");
    HttpResponse<String> beyond = get("/download/storage/v1/b/b/o/digits?alt=media", "bytes=10-");

    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.body()).isEqualTo("2345");
    assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 2-5/10");
    assertThat(tail.body()).isEqualTo("789");
    assertThat(suffix.body()).isEqualTo("789");
    assertThat(beyond.statusCode()).isEqualTo(416);
  }

  @Test
  void resumableUploadAnswers308WithThePersistedRangeAndSkipsResentBytes() throws Exception {
    String session = startResumable("big", "ifGenerationMatch=0");

    HttpResponse<String> first = putChunk(session, "bytes 0-9/*", "0123456789");
    assertThat(first.statusCode()).isEqualTo(308);
    assertThat(first.headers().firstValue("Range")).contains("bytes=0-9");
    HttpResponse<String> overlapping = putChunk(session, "bytes 5-14/*", "56789abcde");
    assertThat(overlapping.headers().firstValue("Range")).contains("bytes=0-14");
    HttpResponse<String> status = putChunk(session, "bytes */*", "");
    assertThat(status.statusCode()).isEqualTo(308);
    assertThat(status.headers().firstValue("Range")).contains("bytes=0-14");
    assertThat(putChunk(session, "bytes 20-21/*", "zz").statusCode()).isEqualTo(400);

    HttpResponse<String> done = putChunk(session, "bytes 15-16/17", "fg");
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(done.body()).path("size").asText()).isEqualTo("17");
    assertThat(putChunk(session, "bytes */17", "").statusCode())
        .as("a finalized session answers with its object").isEqualTo(200);
    assertThat(get("/storage/v1/b/b/o/big?alt=media", null).body()).isEqualTo("0123456789abcdefg");
  }

  @Test
  void resumableUploadChecksPreconditionsAtStartAndAtFinalization() throws Exception {
    String session = startResumable("obj", "ifGenerationMatch=0");
    multipart("obj", "someone else", "{}", "");

    assertConditionNotMet(putChunk(session, "bytes 0-2/3", "abc"));
    assertThat(post("/upload/storage/v1/b/b/o?uploadType=resumable&name=obj&ifGenerationMatch=0",
        "application/json", "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(412);
    assertThat(get("/storage/v1/b/b/o/obj?alt=media", null).body()).isEqualTo("someone else");
  }

  @Test
  void listFiltersByPrefixInKeyOrderAndPaginates() throws Exception {
    for (String name : List.of("lake/b", "lake/a", "lake/deep/c", "lakeside", "other")) {
      multipart(name, name, "{}", "");
    }

    List<String> names = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      JsonNode page = JSON.readTree(get("/storage/v1/b/b/o?prefix=lake/&maxResults=2"
          + (token == null ? "" : "&pageToken=" + token), null).body());
      page.path("items").forEach(item -> names.add(item.path("name").asText()));
      token = page.path("nextPageToken").asText(null);
      pages++;
    } while (token != null);

    assertThat(names).containsExactly("lake/a", "lake/b", "lake/deep/c");
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void concurrentCreatesWithGenerationZeroHaveExactlyOneWinner() throws Exception {
    List<HttpResponse<String>> responses =
        race(i -> multipart("race", "racer " + i, "{}", "ifGenerationMatch=0"));

    assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
    assertThat(responses).filteredOn(r -> r.statusCode() != 200)
        .hasSize(RACERS - 1).allSatisfy(FakeGcsServerIT::assertConditionNotMet);
    String winner = responses.stream().filter(r -> r.statusCode() == 200).findFirst()
        .orElseThrow().body();
    assertThat(fake.generation("b", "race")).contains(Long.parseLong(generationOf(winner)));
  }

  @Test
  void concurrentFinalizationsOfOneGenerationHaveExactlyOneWinner() throws Exception {
    String base = generationOf(multipart("shared", "base", "{}", ""));
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      sessions.add(startResumable("shared", "ifGenerationMatch=" + base));
    }

    List<HttpResponse<String>> responses =
        race(i -> putChunk(sessions.get(i), "bytes 0-7/8", "racer-" + (char) ('a' + i) + "!"));

    assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
    assertThat(responses).filteredOn(r -> r.statusCode() != 200)
        .hasSize(RACERS - 1).allSatisfy(FakeGcsServerIT::assertConditionNotMet);
    String content = get("/storage/v1/b/b/o/shared?alt=media", null).body();
    String winner = JSON.readTree(responses.stream().filter(r -> r.statusCode() == 200)
        .findFirst().orElseThrow().body()).path("generation").asText();
    assertThat(content).matches("racer-[a-p]!");
    assertThat(fake.generation("b", "shared")).contains(Long.parseLong(winner));
  }

  // ---------------------------------------------------------------------------------------------

  private interface Call {
    HttpResponse<String> run(int racer) throws Exception;
  }

  private List<HttpResponse<String>> race(Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      CountDownLatch ready = new CountDownLatch(RACERS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        int racer = i;
        Callable<HttpResponse<String>> task = () -> {
          ready.countDown();
          go.await();
          return call.run(racer);
        };
        futures.add(pool.submit(task));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (Future<HttpResponse<String>> future : futures) {
        responses.add(future.get(60, TimeUnit.SECONDS));
      }
      return responses;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertConditionNotMet(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(412);
    try {
      JsonNode error = JSON.readTree(response.body()).path("error");
      assertThat(error.path("code").asInt()).isEqualTo(412);
      assertThat(error.path("errors").get(0).path("reason").asText()).isEqualTo("conditionNotMet");
      assertThat(error.path("message").asText()).contains("pre-conditions");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String generationOf(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return generationOf(response.body());
  }

  private static String generationOf(String body) throws IOException {
    return JSON.readTree(body).path("generation").asText();
  }

  private HttpResponse<String> multipart(String name, String content, String metadataJson,
      String query) throws Exception {
    String boundary = "lea-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
        + "{\"name\":\"" + name + "\",\"metadata\":" + metadataJson + "}\r\n"
        + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return post("/upload/storage/v1/b/b/o?uploadType=multipart" + (query.isEmpty() ? "" : "&" + query),
        "multipart/related; boundary=" + boundary, body.toByteArray());
  }

  private String startResumable(String name, String query) throws Exception {
    HttpResponse<String> response = post("/upload/storage/v1/b/b/o?uploadType=resumable&name="
        + name + "&" + query, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("Location").orElseThrow();
  }

  private HttpResponse<String> putChunk(String session, String contentRange, String bytes)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(session))
        .header("Content-Range", contentRange)
        .PUT(BodyPublishers.ofString(bytes)).build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", contentType)
        .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (range != null) {
      request.header("Range", range);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> delete(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(),
        BodyHandlers.ofString());
  }
}
