package dev.lea.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

/**
 * An in-process fake of the parts of the GCS JSON API that google-cloud-storage's HTTP transport
 * uses: bucket get, object metadata get, media download with ranges, multipart and resumable
 * uploads, delete and list. Generation and metageneration preconditions are checked and applied
 * under one lock per bucket, so concurrent conditional writes behave as on GCS: exactly one
 * compare-and-set wins, the others get 412 {@code conditionNotMet}. Store tests, the Maven
 * plugin's ITs and the benchmarks all serve their buckets from it.
 *
 * <p>Object content lives in files under a private temporary directory, so the fake does not
 * weigh on heap measurements of the client. Every request is recorded as
 * {@code METHOD path?query [Content-Range] -> status} ({@link #requests()}); with
 * {@code -Dlea.fakegcs.debug=true} the lines are also printed, to learn what the client sends.
 *
 * <p>Faults for tests: {@link #denyAccess(boolean)} answers 403 to everything;
 * {@link #loseNextCommitResponse()} applies the next object write but answers 503, as a lost
 * response would look to a client that then retries.
 */
public final class FakeGcsServer implements AutoCloseable {

  static {
    // The JDK's server writes a response's head and body in separate segments; with Nagle's
    // algorithm the second waits for the client's delayed ACK of the first, 40 ms a request
    // (most of what the GCS tests spent). Read once, when the JDK's server is first used.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Records the request being handled on this thread, once, with the status it is answered. */
  private static final ThreadLocal<IntConsumer> RECORD = new ThreadLocal<>();
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final String UPLOAD_PREFIX = "/upload/storage/v1/b/";
  private static final String DOWNLOAD_PREFIX = "/download/storage/v1/b/";
  private static final String API_PREFIX = "/storage/v1/b/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  private final boolean debug;
  private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final AtomicLong generations =
      new AtomicLong(Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli() * 1000);
  private final AtomicInteger files = new AtomicInteger();
  // A queue, not a copy-on-write list: a benchmark answers hundreds of thousands of requests.
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean denyAccess = new AtomicBoolean();
  private final AtomicBoolean loseNextCommitResponse = new AtomicBoolean();

  private FakeGcsServer(boolean debug) throws IOException {
    this.debug = debug;
    this.root = Files.createTempDirectory("fake-gcs-");
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "fake-gcs-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a fake on 127.0.0.1 and a free port, with {@code buckets}. */
  public static FakeGcsServer start(String... buckets) throws IOException {
    FakeGcsServer fake = new FakeGcsServer(Boolean.getBoolean("lea.fakegcs.debug"));
    for (String bucket : buckets) {
      fake.createBucket(bucket);
    }
    return fake;
  }

  /** The base URL to give the client as its host, e.g. {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void createBucket(String bucket) {
    buckets.putIfAbsent(bucket, new TreeMap<>());
  }

  /** Every request so far, in the order they were answered. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  /** While on, every request answers 403 Forbidden. */
  public void denyAccess(boolean deny) {
    denyAccess.set(deny);
  }

  /** The next successful object write is applied, but its response is a 503. */
  public void loseNextCommitResponse() {
    loseNextCommitResponse.set(true);
  }

  /** The live generation of an object, if it exists. */
  public Optional<Long> generation(String bucket, String name) {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    if (objects == null) {
      return Optional.empty();
    }
    synchronized (objects) {
      return Optional.ofNullable(objects.get(name)).map(StoredObject::generation);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    executor.shutdownNow();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Dispatch

  private void handle(HttpExchange exchange) throws IOException {
    Request request = new Request(exchange);
    AtomicBoolean recorded = new AtomicBoolean();
    IntConsumer record = answered -> {
      if (recorded.compareAndSet(false, true)) {
        String line = request.method + " " + request.rawPathAndQuery()
            + (request.header("Content-Range") == null ? ""
                : " [" + request.header("Content-Range") + "]")
            + " -> " + answered;
        requests.add(line);
        if (debug) {
          System.err.println("fake-gcs: " + line + " " + exchange.getRequestHeaders().keySet());
        }
      }
    };
    RECORD.set(record);
    int status;
    try {
      if (denyAccess.get()) {
        drain(exchange);
        status = error(exchange, 403, "forbidden",
            "fake@example.iam.gserviceaccount.com does not have storage.objects.get access");
      } else {
        status = dispatch(request);
      }
    } catch (RuntimeException | IOException e) {
      if (debug) {
        e.printStackTrace();
      }
      status = 500;
      try {
        error(exchange, 500, "backendError", "fake GCS failed: " + e);
      } catch (IOException | RuntimeException alreadyAnswering) {
        // The response had begun; closing the exchange below cuts it short for the client.
      }
    } finally {
      RECORD.remove();
      exchange.close();
    }
    record.accept(status);
  }

  /**
   * Sends the response head, having first recorded the request: the client may act on the answer,
   * and a test read {@link #requests()}, before the handler returns.
   */
  private static void answer(HttpExchange exchange, int status, long length) throws IOException {
    IntConsumer record = RECORD.get();
    if (record != null) {
      record.accept(status);
    }
    exchange.sendResponseHeaders(status, length);
  }

  private int dispatch(Request request) throws IOException {
    String path = request.rawPath;
    if (path.startsWith(UPLOAD_PREFIX)) {
      String bucket = firstSegment(path.substring(UPLOAD_PREFIX.length()));
      String uploadId = request.query("upload_id");
      if (uploadId != null) {
        return continueResumable(request, uploadId);
      }
      if (!request.method.equals("POST")) {
        return unsupported(request);
      }
      return switch (String.valueOf(request.query("uploadType"))) {
        case "multipart" -> multipartUpload(request, bucket);
        case "resumable" -> startResumable(request, bucket);
        default -> unsupported(request);
      };
    }
    boolean download = path.startsWith(DOWNLOAD_PREFIX);
    if (!download && !path.startsWith(API_PREFIX)) {
      return unsupported(request);
    }
    String rest = path.substring(download ? DOWNLOAD_PREFIX.length() : API_PREFIX.length());
    String bucket = firstSegment(rest);
    String afterBucket = rest.substring(rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
    if (afterBucket.isEmpty()) {
      return request.method.equals("GET") ? getBucket(request, bucket) : unsupported(request);
    }
    if (afterBucket.equals("/o")) {
      return request.method.equals("GET") ? list(request, bucket) : unsupported(request);
    }
    if (!afterBucket.startsWith("/o/")) {
      return unsupported(request);
    }
    String name = percentDecode(afterBucket.substring(3));
    return switch (request.method) {
      case "GET" -> download || "media".equals(request.query("alt"))
          ? media(request, bucket, name) : metadata(request, bucket, name);
      case "DELETE" -> delete(request, bucket, name);
      default -> unsupported(request);
    };
  }

  private int unsupported(Request request) throws IOException {
    drain(request.exchange);
    return error(request.exchange, 501, "notImplemented",
        "fake GCS does not implement " + request.method + " " + request.rawPath);
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  private int getBucket(Request request, String bucket) throws IOException {
    if (!buckets.containsKey(bucket)) {
      return noBucket(request.exchange);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#bucket");
    body.put("id", bucket);
    body.put("name", bucket);
    body.put("projectNumber", "0");
    body.put("metageneration", "1");
    body.put("location", "US");
    body.put("storageClass", "STANDARD");
    body.put("etag", "CAE=");
    return json(request.exchange, 200, body);
  }

  private int metadata(Request request, String bucket, String name) throws IOException {
    Lookup lookup = lookup(request, bucket, name);
    if (lookup.status != 200) {
      return lookup.respond(request.exchange);
    }
    return json(request.exchange, 200, resource(lookup.object));
  }

  private int media(Request request, String bucket, String name) throws IOException {
    Lookup lookup = lookup(request, bucket, name);
    if (lookup.status != 200) {
      return lookup.respond(request.exchange);
    }
    StoredObject object = lookup.object;
    long start = 0;
    long end = object.size - 1;
    int status = 200;
    String range = request.header("Range");
    if (range != null) {
      Matcher matcher = RANGE.matcher(range.trim());
      if (!matcher.matches()) {
        return error(request.exchange, 400, "invalid", "Unsupported Range header: " + range);
      }
      if (matcher.group(1).isEmpty()) {
        start = Math.max(0, object.size - Long.parseLong(matcher.group(2)));
      } else {
        start = Long.parseLong(matcher.group(1));
        if (!matcher.group(2).isEmpty()) {
          end = Math.min(end, Long.parseLong(matcher.group(2)));
        }
      }
      if (start >= object.size && object.size > 0) {
        request.exchange.getResponseHeaders().set("Content-Range", "bytes */" + object.size);
        return error(request.exchange, 416, "requestedRangeNotSatisfiable",
            "The requested range cannot be satisfied.");
      }
      if (object.size > 0 && (start > 0 || end < object.size - 1)) {
        status = 206;
        request.exchange.getResponseHeaders()
            .set("Content-Range", "bytes " + start + "-" + end + "/" + object.size);
      }
    }
    long length = Math.max(0, end - start + 1);
    var headers = request.exchange.getResponseHeaders();
    headers.set("Content-Type", object.contentType);
    headers.set("ETag", object.etag());
    headers.set("x-goog-generation", Long.toString(object.generation));
    headers.set("x-goog-metageneration", Long.toString(object.metageneration));
    headers.set("x-goog-stored-content-length", Long.toString(object.size));
    headers.set("x-goog-stored-content-encoding", "identity");
    headers.set("x-goog-hash", "crc32c=" + object.crc32c + ",md5=" + object.md5);
    object.metadata.forEach((key, value) -> headers.set("x-goog-meta-" + key, value));
    answer(request.exchange, status, length == 0 ? -1 : length);
    if (length > 0) {
      try (InputStream in = Files.newInputStream(object.file);
          OutputStream out = request.exchange.getResponseBody()) {
        in.skipNBytes(start);
        copy(in, out, length);
      }
    }
    return status;
  }

  private int list(Request request, String bucket) throws IOException {
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    if (objects == null) {
      return noBucket(request.exchange);
    }
    String prefix = Optional.ofNullable(request.query("prefix")).orElse("");
    String delimiter = request.query("delimiter");
    String token = request.query("pageToken");
    int max = Optional.ofNullable(request.query("maxResults")).map(Integer::parseInt).orElse(1000);
    List<StoredObject> snapshot;
    synchronized (objects) {
      snapshot = List.copyOf((token == null ? objects : objects.tailMap(
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8), false))
          .values());
    }
    List<Object> items = new ArrayList<>();
    Set<String> prefixes = new java.util.TreeSet<>();
    String last = null;
    boolean more = false;
    for (StoredObject object : snapshot) {
      if (!object.name.startsWith(prefix)) {
        if (object.name.compareTo(prefix) > 0) {
          break;
        }
        continue;
      }
      if (items.size() + prefixes.size() >= max) {
        more = true;
        break;
      }
      String rest = object.name.substring(prefix.length());
      int cut = delimiter == null || delimiter.isEmpty() ? -1 : rest.indexOf(delimiter);
      if (cut >= 0) {
        prefixes.add(prefix + rest.substring(0, cut + delimiter.length()));
      } else {
        items.add(resource(object));
      }
      last = object.name;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#objects");
    if (!items.isEmpty()) {
      body.put("items", items);
    }
    if (!prefixes.isEmpty()) {
      body.put("prefixes", List.copyOf(prefixes));
    }
    if (more && last != null) {
      body.put("nextPageToken",
          Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    }
    return json(request.exchange, 200, body);
  }

  /** The live object if the request's preconditions let a read see it; else the answer. */
  private Lookup lookup(Request request, String bucket, String name) throws IOException {
    drain(request.exchange);
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    if (objects == null) {
      return new Lookup(404, "notFound", "The specified bucket does not exist.", null);
    }
    StoredObject object;
    synchronized (objects) {
      object = objects.get(name);
    }
    String generation = request.query("generation");
    if (object == null || (generation != null && Long.parseLong(generation) != object.generation)) {
      return new Lookup(404, "notFound", "No such object: " + bucket + "/" + name, null);
    }
    Failure failure = preconditions(request, object, true);
    if (failure != null) {
      return new Lookup(failure.status, failure.reason, failure.message, null);
    }
    return new Lookup(200, null, null, object);
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  private int delete(Request request, String bucket, String name) throws IOException {
    drain(request.exchange);
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    if (objects == null) {
      return noBucket(request.exchange);
    }
    synchronized (objects) {
      StoredObject object = objects.get(name);
      String generation = request.query("generation");
      if (object == null || (generation != null && Long.parseLong(generation) != object.generation)) {
        return error(request.exchange, 404, "notFound", "No such object: " + bucket + "/" + name);
      }
      Failure failure = preconditions(request, object, false);
      if (failure != null) {
        return failure.respond(request.exchange);
      }
      objects.remove(name);
    }
    answer(request.exchange, 204, -1);
    return 204;
  }

  private int multipartUpload(Request request, String bucket) throws IOException {
    String contentType = request.header("Content-Type");
    Matcher boundaryMatch = contentType == null ? null
        : Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
    if (boundaryMatch == null || !boundaryMatch.find()) {
      drain(request.exchange);
      return error(request.exchange, 400, "invalid", "multipart upload without a boundary");
    }
    byte[] body = request.body().readAllBytes();
    List<byte[]> parts = multipartParts(body, boundaryMatch.group(1));
    if (parts.size() != 2) {
      return error(request.exchange, 400, "invalid", "expected 2 multipart parts, got " + parts.size());
    }
    Part meta = Part.parse(parts.get(0));
    Part media = Part.parse(parts.get(1));
    JsonNode resource = JSON.readTree(meta.body);
    String name = Optional.ofNullable(request.query("name"))
        .orElse(resource.path("name").asText(null));
    if (name == null) {
      return error(request.exchange, 400, "required", "Required object name");
    }
    Path file = newFile();
    Files.write(file, media.body);
    NewObject candidate = new NewObject(bucket, name, file, resource,
        Optional.ofNullable(media.headers.get("content-type")).orElse("application/octet-stream"));
    return respond(request.exchange, apply(request.queryParams, candidate));
  }

  private int startResumable(Request request, String bucket) throws IOException {
    byte[] body = request.body().readAllBytes();
    JsonNode resource = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    String name = Optional.ofNullable(request.query("name"))
        .orElse(resource.path("name").asText(null));
    NavigableMap<String, StoredObject> objects = buckets.get(bucket);
    if (objects == null) {
      return noBucket(request.exchange);
    }
    if (name == null) {
      return error(request.exchange, 400, "required", "Required object name");
    }
    // GCS checks preconditions when the session starts and again when it is finalized.
    synchronized (objects) {
      Failure failure = writePreconditions(request.queryParams, objects.get(name));
      if (failure != null) {
        return failure.respond(request.exchange);
      }
    }
    String expected = request.header("X-Upload-Content-Length");
    String id = UUID.randomUUID().toString();
    String contentType = Optional.ofNullable(request.header("X-Upload-Content-Type"))
        .orElse(resource.path("contentType").asText("application/octet-stream"));
    uploads.put(id, new Upload(new NewObject(bucket, name, newFile(), resource, contentType),
        Map.copyOf(request.queryParams), expected == null ? -1 : Long.parseLong(expected)));
    request.exchange.getResponseHeaders().set("Location", endpoint() + UPLOAD_PREFIX
        + urlEncode(bucket) + "/o?uploadType=resumable&name=" + urlEncode(name)
        + "&upload_id=" + id);
    answer(request.exchange, 200, -1);
    return 200;
  }

  private int continueResumable(Request request, String uploadId) throws IOException {
    Upload upload = uploads.get(uploadId);
    if (upload == null) {
      drain(request.exchange);
      return error(request.exchange, 404, "notFound", "No such upload session: " + uploadId);
    }
    synchronized (upload) {
      if (request.method.equals("DELETE")) {
        drain(request.exchange);
        uploads.remove(uploadId);
        answer(request.exchange, 499, -1);
        return 499;
      }
      if (!request.method.equals("PUT")) {
        return unsupported(request);
      }
      if (upload.outcome != null) {
        drain(request.exchange);
        return upload.outcome.respond(request.exchange);
      }
      String contentRange = request.header("Content-Range");
      long total = -1;
      if (contentRange != null) {
        Matcher matcher = CONTENT_RANGE.matcher(contentRange.trim());
        if (!matcher.matches()) {
          drain(request.exchange);
          return error(request.exchange, 400, "invalid", "Bad Content-Range: " + contentRange);
        }
        if (!matcher.group(3).equals("*")) {
          total = Long.parseLong(matcher.group(3));
        }
        if (matcher.group(1) != null) {
          long first = Long.parseLong(matcher.group(1));
          long last = Long.parseLong(matcher.group(2));
          if (first > upload.persisted) {
            drain(request.exchange);
            return error(request.exchange, 400, "invalid", "Chunk starts at " + first
                + " but only " + upload.persisted + " bytes were persisted");
          }
          long length = last - first + 1;
          try (InputStream in = request.body();
              OutputStream out = Files.newOutputStream(upload.object.file, StandardOpenOption.APPEND)) {
            // A resent chunk overlaps what is already persisted: keep only the new tail.
            long overlap = upload.persisted - first;
            copy(in, OutputStream.nullOutputStream(), Math.min(overlap, length));
            upload.persisted += copy(in, out, length - Math.min(overlap, length));
            in.transferTo(OutputStream.nullOutputStream());
          } catch (IOException cut) {
            // A chunk cut off in transit persists nothing, so a resent chunk starts clean.
            try (FileChannel file = FileChannel.open(upload.object.file, StandardOpenOption.WRITE)) {
              file.truncate(upload.persisted);
            }
            throw cut;
          }
        } else {
          drain(request.exchange);
        }
      } else {
        drain(request.exchange);
      }
      if (total < 0 || upload.persisted < total) {
        if (upload.persisted > 0) {
          request.exchange.getResponseHeaders().set("Range", "bytes=0-" + (upload.persisted - 1));
        }
        answer(request.exchange, 308, -1);
        return 308;
      }
      if (upload.persisted != total
          || (upload.expectedSize >= 0 && upload.expectedSize != total)) {
        upload.outcome = new Failure(400, "invalid", "Upload size " + upload.persisted
            + " does not match the declared size " + Math.max(total, upload.expectedSize));
        return upload.outcome.respond(request.exchange);
      }
      upload.outcome = apply(upload.query, upload.object);
      return respond(request.exchange, upload.outcome);
    }
  }

  /** Applies a write if its preconditions hold, atomically with respect to every other write. */
  private Outcome apply(Map<String, String> query, NewObject candidate) throws IOException {
    NavigableMap<String, StoredObject> objects = buckets.get(candidate.bucket);
    if (objects == null) {
      return new Failure(404, "notFound", "The specified bucket does not exist.");
    }
    long size = Files.size(candidate.file);
    String[] hashes = hashes(candidate.file);
    String declaredCrc = candidate.resource.path("crc32c").asText(null);
    String declaredMd5 = candidate.resource.path("md5Hash").asText(null);
    if ((declaredCrc != null && !declaredCrc.equals(hashes[0]))
        || (declaredMd5 != null && !declaredMd5.equals(hashes[1]))) {
      return new Failure(400, "invalid", "Provided checksum does not match the uploaded content");
    }
    Map<String, String> metadata = new TreeMap<>();
    candidate.resource.path("metadata").fields()
        .forEachRemaining(entry -> metadata.put(entry.getKey(), entry.getValue().asText()));
    synchronized (objects) {
      Failure failure = writePreconditions(query, objects.get(candidate.name));
      if (failure != null) {
        return failure;
      }
      StoredObject stored = new StoredObject(candidate.bucket, candidate.name,
          generations.incrementAndGet(), 1, size, candidate.file, Map.copyOf(metadata),
          candidate.contentType, hashes[1], hashes[0],
          Instant.now().truncatedTo(ChronoUnit.MILLIS));
      StoredObject replaced = objects.put(candidate.name, stored);
      // A benchmark overwrites one object hundreds of times; keep only the live content on disk.
      // A download still reading the old file keeps it open, which Linux allows.
      if (replaced != null) {
        Files.deleteIfExists(replaced.file);
      }
      return new Committed(stored);
    }
  }

  /** Answers a write's outcome, unless a lost response was asked for. */
  private int respond(HttpExchange exchange, Outcome outcome) throws IOException {
    if (outcome instanceof Committed && loseNextCommitResponse.compareAndSet(true, false)) {
      return error(exchange, 503, "backendError", "The service is currently unavailable.");
    }
    return outcome.respond(exchange);
  }

  private static Failure writePreconditions(Map<String, String> query, StoredObject current) {
    String generationMatch = query.get("ifGenerationMatch");
    if (generationMatch != null) {
      long expected = Long.parseLong(generationMatch);
      if (expected == 0 ? current != null : current == null || current.generation != expected) {
        return conditionNotMet();
      }
    }
    return checkOthers(query, current, false);
  }

  private static Failure preconditions(Request request, StoredObject current, boolean read) {
    String generationMatch = request.query("ifGenerationMatch");
    if (generationMatch != null && Long.parseLong(generationMatch) != current.generation) {
      return conditionNotMet();
    }
    return checkOthers(request.queryParams, current, read);
  }

  /** The NotMatch and metageneration conditions; a read answers 304 where a write answers 412. */
  private static Failure checkOthers(Map<String, String> query, StoredObject current, boolean read) {
    String generationNotMatch = query.get("ifGenerationNotMatch");
    if (generationNotMatch != null && current != null
        && Long.parseLong(generationNotMatch) == current.generation) {
      return read ? notModified() : conditionNotMet();
    }
    String metagenerationMatch = query.get("ifMetagenerationMatch");
    if (metagenerationMatch != null
        && (current == null || Long.parseLong(metagenerationMatch) != current.metageneration)) {
      return conditionNotMet();
    }
    String metagenerationNotMatch = query.get("ifMetagenerationNotMatch");
    if (metagenerationNotMatch != null && current != null
        && Long.parseLong(metagenerationNotMatch) == current.metageneration) {
      return read ? notModified() : conditionNotMet();
    }
    return null;
  }

  private static Failure conditionNotMet() {
    return new Failure(412, "conditionNotMet",
        "At least one of the pre-conditions you specified did not hold.");
  }

  private static Failure notModified() {
    return new Failure(304, "notModified", "Not Modified");
  }

  // ---------------------------------------------------------------------------------------------
  // Resources and responses

  private Map<String, Object> resource(StoredObject object) {
    Map<String, Object> body = new LinkedHashMap<>();
    String path = urlEncode(object.bucket) + "/o/" + urlEncode(object.name);
    body.put("kind", "storage#object");
    body.put("id", object.bucket + "/" + object.name + "/" + object.generation);
    body.put("selfLink", endpoint() + API_PREFIX + path);
    body.put("mediaLink", endpoint() + DOWNLOAD_PREFIX + path + "?generation="
        + object.generation + "&alt=media");
    body.put("name", object.name);
    body.put("bucket", object.bucket);
    body.put("generation", Long.toString(object.generation));
    body.put("metageneration", Long.toString(object.metageneration));
    body.put("contentType", object.contentType);
    body.put("storageClass", "STANDARD");
    body.put("size", Long.toString(object.size));
    body.put("md5Hash", object.md5);
    body.put("crc32c", object.crc32c);
    body.put("etag", object.etag());
    body.put("timeCreated", object.created.toString());
    body.put("updated", object.created.toString());
    body.put("timeStorageClassUpdated", object.created.toString());
    if (!object.metadata.isEmpty()) {
      body.put("metadata", object.metadata);
    }
    return body;
  }

  private static int noBucket(HttpExchange exchange) throws IOException {
    drain(exchange);
    return error(exchange, 404, "notFound", "The specified bucket does not exist.");
  }

  static int error(HttpExchange exchange, int code, String reason, String message)
      throws IOException {
    if (code == 304) {
      answer(exchange, 304, -1);
      return 304;
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("message", message);
    detail.put("domain", "global");
    detail.put("reason", reason);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("errors", List.of(detail));
    return json(exchange, code, Map.of("error", error));
  }

  private static int json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    answer(exchange, status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static long copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    while (copied < length) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
    return copied;
  }

  private Path newFile() throws IOException {
    return Files.createFile(root.resolve("object-" + files.incrementAndGet()));
  }

  /** Base64 CRC32C (big-endian) and MD5 of a file, as GCS reports them. */
  private static String[] hashes(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
        md5.update(buffer, 0, n);
      }
    }
    Base64.Encoder base64 = Base64.getEncoder();
    return new String[] {
        base64.encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array()),
        base64.encodeToString(md5.digest())};
  }

  private static List<byte[]> multipartParts(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> parts = new ArrayList<>();
    int start = indexOf(body, delimiter, 0);
    while (start >= 0) {
      int contentStart = start + delimiter.length;
      if (contentStart + 1 < body.length && body[contentStart] == '-' && body[contentStart + 1] == '-') {
        break;
      }
      contentStart += 2;
      int next = indexOf(body, delimiter, contentStart);
      if (next < 0) {
        break;
      }
      // The CRLF before the next delimiter belongs to the delimiter.
      parts.add(java.util.Arrays.copyOfRange(body, contentStart, next - 2));
      start = next;
    }
    return parts;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String firstSegment(String path) {
    int slash = path.indexOf('/');
    return percentDecode(slash < 0 ? path : path.substring(0, slash));
  }

  /** Decodes %XX escapes only: in a path '+' is a plus, not a space. */
  static String percentDecode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length()) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---------------------------------------------------------------------------------------------
  // State

  private record StoredObject(
      String bucket,
      String name,
      long generation,
      long metageneration,
      long size,
      Path file,
      Map<String, String> metadata,
      String contentType,
      String md5,
      String crc32c,
      Instant created) {

    String etag() {
      return "\"" + Long.toHexString(generation) + "\"";
    }
  }

  private record NewObject(
      String bucket, String name, Path file, JsonNode resource, String contentType) {}

  private static final class Upload {
    final NewObject object;
    final Map<String, String> query;
    final long expectedSize;
    long persisted;
    Outcome outcome;

    Upload(NewObject object, Map<String, String> query, long expectedSize) {
      this.object = object;
      this.query = query;
      this.expectedSize = expectedSize;
    }
  }

  private interface Outcome {
    int respond(HttpExchange exchange) throws IOException;
  }

  private record Failure(int status, String reason, String message) implements Outcome {
    @Override
    public int respond(HttpExchange exchange) throws IOException {
      return error(exchange, status, reason, message);
    }
  }

  private final class Committed implements Outcome {
    final StoredObject object;

    Committed(StoredObject object) {
      this.object = object;
    }

    @Override
    public int respond(HttpExchange exchange) throws IOException {
      return json(exchange, 200, resource(object));
    }
  }

  private record Lookup(int status, String reason, String message, StoredObject object) {
    int respond(HttpExchange exchange) throws IOException {
      return error(exchange, status, reason, message);
    }
  }

  private record Part(Map<String, String> headers, byte[] body) {
    static Part parse(byte[] raw) {
      int split = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      if (split < 0) {
        return new Part(headers, raw);
      }
      for (String line : new String(raw, 0, split, StandardCharsets.ISO_8859_1).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
              line.substring(colon + 1).trim());
        }
      }
      return new Part(headers, java.util.Arrays.copyOfRange(raw, split + 4, raw.length));
    }
  }

  private static final class Request {
    final HttpExchange exchange;
    final String method;
    final String rawPath;
    final String rawQuery;
    final Map<String, String> queryParams = new LinkedHashMap<>();

    Request(HttpExchange exchange) {
      this.exchange = exchange;
      this.method = exchange.getRequestMethod();
      this.rawPath = exchange.getRequestURI().getRawPath();
      this.rawQuery = exchange.getRequestURI().getRawQuery();
      if (rawQuery != null) {
        for (String pair : rawQuery.split("&")) {
          int eq = pair.indexOf('=');
          String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          queryParams.put(key, value);
        }
      }
    }

    String query(String name) {
      return queryParams.get(name);
    }

    String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    /** The request body, unzipped when the client sent it gzip-encoded. */
    InputStream body() throws IOException {
      InputStream raw = exchange.getRequestBody();
      return "gzip".equalsIgnoreCase(header("Content-Encoding")) ? new GZIPInputStream(raw) : raw;
    }

    String rawPathAndQuery() {
      return rawPath + (rawQuery == null ? "" : "?" + rawQuery);
    }
  }
}
