package dev.lea.store.s3;

import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.Crc32c;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.ChecksumValidation;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The keys of one S3 (or S3-compatible, e.g. Cloudflare R2) bucket. Versions are ETags; metadata
 * is S3 user metadata ({@code x-amz-meta-*}).
 *
 * <p>Files up to {@link UploadTuning#singlePutLimit()} are one PutObject read from the file, as
 * are streams of a known size up to one part (their body is held in the heap); larger or
 * unknown-size ones are multipart uploads with {@link UploadTuning#parallelParts()} parts in
 * flight. A file's parts are read from the file itself, each attempt again from its slice, so a
 * file of any size is uploaded without part buffers in the heap. A stream's parts are read in
 * order into at most {@code parallelParts + 1} buffers, fewer when the heap is small (they may
 * take a quarter of it). A failed multipart upload is aborted, after its in-flight parts have
 * settled, so no parts are left behind.
 *
 * <p>A download fails when a part's worth of bytes does not arrive within the client's attempt
 * timeout, so a trickling endpoint cannot hold a run (and its lock) indefinitely.
 *
 * <p>Conditions are S3's own conditional requests ({@code If-None-Match: *}, {@code If-Match}),
 * checked atomically by S3. Every write carries a write id in its metadata
 * ({@link ObjectStore#WRITE_ID}, the caller's when given): when the SDK retries a write whose
 * first attempt landed but whose answer was lost, the retry fails its condition against our own
 * object, and the write id tells that apart from a competing writer.
 *
 * <p>On {@code s3}, every object carries S3's own CRC32C of the whole object ({@link
 * Capability#CRC32C}): a single PUT sends it with the body, a multipart upload asks for a
 * {@code FULL_OBJECT} checksum and completes with each part's CRC32C, and S3 checks and keeps it.
 * Each checksum is computed on the bytes as they are sent (the SDK's trailer, or a part's stream),
 * except where noted at {@link #fileChecksumInTrailer}. A server that keeps no such checksum
 * makes the store report none ({@code null}), never a wrong one.
 */
public final class S3ObjectStore implements ObjectStore {

  private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
      Capability.ATOMIC_IF_ABSENT, Capability.ATOMIC_IF_MATCH, Capability.CONDITIONAL_GET,
      Capability.CONDITIONAL_DELETE, Capability.LIST));
  private static final Set<Capability> CAPABILITIES_WITH_CRC32C;

  static {
    EnumSet<Capability> withCrc32c = EnumSet.copyOf(CAPABILITIES);
    withCrc32c.add(Capability.CRC32C);
    CAPABILITIES_WITH_CRC32C = Collections.unmodifiableSet(withCrc32c);
  }

  private static final int MAX_PARTS = 10_000;
  private static final String CONTENT_TYPE = "application/octet-stream";
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final String scheme;
  private final String bucket;
  private final S3Client client;
  private final UploadTuning tuning;
  private final S3Errors.Endpoint endpoint;
  private final ExecutorService partUploads;
  private final Duration readDeadline;
  /**
   * R2 keeps a CRC32C of a multipart object only as a checksum of its parts' checksums
   * ({@code COMPOSITE}); a full-object checksum it offers for CRC64NVME alone (Cloudflare's "S3 API
   * compatibility", checksum types). So on {@code r2} the store claims no CRC32C, sends CRC32 for
   * transit only, and object-copy records the catalog's CRC32C in the metadata instead.
   */
  private final boolean crc32c;
  /**
   * False when the SDK is told to send checksums only where an operation requires one
   * ({@code AWS_REQUEST_CHECKSUM_CALCULATION=when_required}, or the profile's or system property's
   * equivalent): the setting S3-compatible vendors document for servers that refuse the
   * {@code x-amz-checksum-*} headers and trailers. Then no request carries a checksum, the store
   * claims no CRC32C, and object-copy records the catalog's CRC32C in the metadata instead.
   */
  private final boolean checksums;
  /**
   * Whether a single PUT from a file sends its CRC32C in the trailer, computed by the SDK as it
   * reads the file, or in a header, computed by reading the file ahead. AWS keeps a trailer
   * checksum; S3-compatible servers differ (S3Proxy 4.1.0 checks a trailer checksum and then drops
   * it, keeping only one asserted in a header), so on another endpoint the file is read ahead,
   * which costs what the catalog's own CRC32C record costs without the capability. Parts of a
   * multipart upload always use the trailer: the server computes the whole object's checksum at
   * completion from the parts' CRC32Cs, which the store computes on the stream as they are sent.
   */
  private final boolean fileChecksumInTrailer;
  private volatile boolean bucketSeen;

  /**
   * A store for {@code bucket}, served through {@code client}, which the store then owns and
   * closes.
   *
   * @param scheme {@code s3} or {@code r2}, for messages
   */
  public S3ObjectStore(String scheme, String bucket, S3Client client) {
    this(scheme, bucket, client, UploadTuning.DEFAULT);
  }

  S3ObjectStore(String scheme, String bucket, S3Client client, UploadTuning tuning) {
    this(scheme, bucket, client, tuning,
        client.serviceClientConfiguration().endpointOverride().isEmpty());
  }

  S3ObjectStore(String scheme, String bucket, S3Client client, UploadTuning tuning,
      boolean fileChecksumInTrailer) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.client = Objects.requireNonNull(client, "client");
    this.tuning = Objects.requireNonNull(tuning, "tuning");
    this.checksums = client.serviceClientConfiguration().requestChecksumCalculation()
        != RequestChecksumCalculation.WHEN_REQUIRED;
    this.crc32c = checksums && scheme.equals("s3");
    this.fileChecksumInTrailer = fileChecksumInTrailer;
    S3ServiceClientConfiguration configuration = client.serviceClientConfiguration();
    this.endpoint = new S3Errors.Endpoint(
        configuration.endpointOverride().map(URI::toString).orElse(null),
        configuration.region() == null ? "unknown" : configuration.region().id(),
        configuration.overrideConfiguration().apiCallAttemptTimeout().orElse(null),
        configuration.overrideConfiguration().apiCallTimeout().orElse(null));
    this.readDeadline = endpoint.attemptTimeout();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(tuning.parallelParts(),
        tuning.parallelParts(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "lea-s3-part-upload-" + THREADS.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    this.partUploads = pool;
  }

  @Override
  public String describe() {
    return scheme + "://" + bucket;
  }

  @Override
  public Set<Capability> capabilities() {
    return crc32c ? CAPABILITIES_WITH_CRC32C : CAPABILITIES;
  }

  @Override
  public Optional<ObjectInfo> head(String key) throws IOException {
    try {
      HeadObjectRequest.Builder request = HeadObjectRequest.builder().bucket(bucket).key(key);
      if (crc32c) {
        request.checksumMode(ChecksumMode.ENABLED);
      }
      HeadObjectResponse response = client.headObject(request.build());
      bucketSeen = true;
      return Optional.of(new ObjectInfo(key, response.contentLength(), response.eTag(),
          response.lastModified(), response.metadata(),
          fullObject(response.checksumCRC32C(), response.checksumType())));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        // A HEAD answer has no body, so a missing bucket looks like a missing key.
        requireBucket("read", key);
        return Optional.empty();
      }
      throw failure("read", key, e);
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public ReadResult read(String key, String ifNoneMatch) throws IOException {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
    if (ifNoneMatch != null) {
      request.ifNoneMatch(ifNoneMatch);
    }
    if (crc32c) {
      // The caller checks the CRC32C on its own pass and refuses a mismatch as a corrupt
      // object; the SDK would hash the stream a second time and fail with its own exception.
      request.checksumMode(ChecksumMode.ENABLED).overrideConfiguration(c -> c.putExecutionAttribute(
          SdkExecutionAttribute.HTTP_RESPONSE_CHECKSUM_VALIDATION, ChecksumValidation.FORCE_SKIP));
    }
    try {
      ResponseInputStream<GetObjectResponse> content = client.getObject(request.build());
      GetObjectResponse response = content.response();
      bucketSeen = true;
      InputStream body = readDeadline == null ? content
          : new StallGuard(content, content::abort, tuning.partSize(), readDeadline, url(key));
      return ReadResult.found(new ObjectInfo(key, response.contentLength(), response.eTag(),
          response.lastModified(), response.metadata(),
          fullObject(response.checksumCRC32C(), response.checksumType())),
          new BodyChannel(body));
    } catch (NoSuchKeyException e) {
      return ReadResult.notFound();
    } catch (S3Exception e) {
      if (e.statusCode() == 304 && ifNoneMatch != null) {
        // A 304 carries no size or metadata; the head supplies them, and if the object changed
        // in between, the caller gets the new one instead.
        Optional<ObjectInfo> current = head(key);
        if (current.isPresent() && sameVersion(current.get().version(), ifNoneMatch)) {
          return ReadResult.notModified(current.get());
        }
        return read(key, null);
      }
      throw failure("read", key, e);
    } catch (SdkException e) {
      throw failure("read", key, e);
    }
  }

  @Override
  public ObjectInfo put(String key, InputStream content, long length, Map<String, String> metadata,
      Condition condition) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(condition, "condition");
    if (length < -1) {
      throw new IllegalArgumentException("length must be -1 (unknown) or >= 0: " + length);
    }
    Write write = new Write(key, userMetadata(metadata), condition);
    if (length >= 0 && length <= Math.min(tuning.singlePutLimit(), tuning.partSize())) {
      byte[] body = new byte[(int) length];
      int read = readFully(content, body);
      if (read < length || content.read() != -1) {
        throw new IOException("Cannot write " + url(key) + ": the stream does not hold the "
            + length + " bytes announced.");
      }
      return putSingle(write, body(body, read), read, crc32c(body, read));
    }
    int partSize = partSize(length);
    byte[] first = new byte[partSize];
    int read = readFully(content, first);
    if (length == -1 && read < partSize) {
      return putSingle(write, body(first, read), read, crc32c(first, read));
    }
    return putMultipart(write, length, new LongAdder(),
        parts -> parts.uploadAll(first, read, content));
  }

  /**
   * Uploads the file's parts straight from the file: no part buffers in the heap. {@code sent}
   * grows by each part as it is acknowledged.
   */
  @Override
  public ObjectInfo put(String key, Path file, Map<String, String> metadata, Condition condition,
      LongAdder sent) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(condition, "condition");
    Write write = new Write(key, userMetadata(metadata), condition);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = channel.size();
      if (length <= tuning.singlePutLimit()) {
        String ahead = crc32c && !fileChecksumInTrailer ? Crc32c.of(file) : null;
        ObjectInfo written = putSingle(write, slice(channel, 0, length), length, ahead);
        sent.add(length);
        return written;
      }
      int partSize = partSize(length);
      return putMultipart(write, length, sent,
          parts -> parts.uploadFile(channel, length, partSize));
    }
  }

  @Override
  public void delete(String key, Condition condition) throws IOException {
    if (condition.type() == Condition.Type.IF_ABSENT) {
      throw new IllegalArgumentException("Cannot delete " + url(key) + " ifAbsent: there is"
          + " nothing to delete when it is absent");
    }
    DeleteObjectRequest.Builder request = DeleteObjectRequest.builder().bucket(bucket).key(key);
    if (condition.type() == Condition.Type.IF_MATCH) {
      // S3 answers If-Match on a missing key with 404; some S3-compatible servers (S3Proxy)
      // answer 204 as for any delete of a missing key, so a missing or other version is refused
      // here first. The delete itself stays conditional, so a change in between still fails.
      Optional<ObjectInfo> current = head(key);
      if (current.isEmpty() || !sameVersion(current.get().version(), condition.version())) {
        throw new PreconditionFailedException(key, condition);
      }
      request.ifMatch(condition.version());
    }
    try {
      client.deleteObject(request.build());
      bucketSeen = true;
    } catch (S3Exception e) {
      if (conditionFailed(condition, e)) {
        throw precondition(key, condition, e);
      }
      throw failure("delete", key, e);
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    List<ObjectInfo> result = new ArrayList<>();
    try {
      for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
          .contents()) {
        result.add(new ObjectInfo(object.key(), object.size(), object.eTag(),
            object.lastModified(), Map.of()));
      }
    } catch (SdkException e) {
      throw failure("list", prefix + "*", e);
    }
    bucketSeen = true;
    result.sort(Comparator.comparing(ObjectInfo::key));
    return result;
  }

  @Override
  public void close() {
    partUploads.shutdown();
    client.close();
  }

  /**
   * One PutObject. It carries what would have been {@code parts} parts, each with its own attempt
   * and request deadline, so it gets their deadlines together: a link fast enough for parts is
   * fast enough for the single PUT that replaces them. {@code knownCrc32c} is the body's CRC32C
   * when known before sending (then sent in a header), else null (then the SDK computes it as it
   * sends).
   */
  private ObjectInfo putSingle(Write write, RequestBody body, long length, String knownCrc32c)
      throws IOException {
    PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(write.key)
        .contentLength(length).contentType(CONTENT_TYPE).metadata(write.metadata);
    checksum(knownCrc32c, request::checksumAlgorithm, request::checksumCRC32C);
    condition(write.condition, request::ifNoneMatch, request::ifMatch);
    long parts = Math.max(1, (length + tuning.partSize() - 1) / tuning.partSize());
    S3Errors.Endpoint deadlines = endpoint.times(parts);
    if (parts > 1 && deadlines.attemptTimeout() != null && deadlines.requestTimeout() != null) {
      request.overrideConfiguration(c -> c.apiCallAttemptTimeout(deadlines.attemptTimeout())
          .apiCallTimeout(deadlines.requestTimeout()));
    }
    return send(write, deadlines, () -> {
      PutObjectResponse response = client.putObject(request.build(), body);
      bucketSeen = true;
      return written(write, length, response.eTag(), response.sdkHttpResponse(),
          fullObject(response.checksumCRC32C(), response.checksumType()));
    });
  }

  /**
   * Puts this store's checksum on a request that sends a body: its CRC32C {@code known} before
   * sending in a header, else one the SDK computes as it sends (CRC32 where the store keeps no
   * CRC32C, for transit only), or none when checksums are sent only where required.
   */
  private void checksum(String known, Consumer<ChecksumAlgorithm> algorithm,
      Consumer<String> crc32cHeader) {
    if (crc32c && known != null) {
      crc32cHeader.accept(known);
    } else if (crc32c) {
      algorithm.accept(ChecksumAlgorithm.CRC32_C);
    } else if (checksums) {
      algorithm.accept(ChecksumAlgorithm.CRC32);
    }
  }

  /** Puts {@code condition} on a request through its {@code If-None-Match}/{@code If-Match}. */
  private static void condition(Condition condition, Consumer<String> ifNoneMatch,
      Consumer<String> ifMatch) {
    switch (condition.type()) {
      case IF_ABSENT -> ifNoneMatch.accept("*");
      case IF_MATCH -> ifMatch.accept(condition.version());
      case NONE -> { }
      default -> throw new IllegalStateException(condition.toString());
    }
  }

  /**
   * Sends the request that makes {@code write}; a condition that fails because the object already
   * is this write's own (a retried request) counts as written.
   */
  private ObjectInfo send(Write write, Supplier<ObjectInfo> request) throws IOException {
    return send(write, endpoint, request);
  }

  /** As {@link #send(Write, Supplier)}, for a request with the deadlines of {@code deadlines}. */
  private ObjectInfo send(Write write, S3Errors.Endpoint deadlines, Supplier<ObjectInfo> request)
      throws IOException {
    try {
      return request.get();
    } catch (S3Exception e) {
      if (conditionFailed(write.condition, e)) {
        return ownWrite(write).orElseThrow(() -> precondition(write.key, write.condition, e));
      }
      throw S3Errors.failure("write", url(write.key), deadlines, e);
    } catch (SdkException e) {
      throw S3Errors.failure("write", url(write.key), deadlines, e);
    }
  }

  /** How the parts of one multipart upload are submitted; returns the total byte count. */
  private interface PartSource {
    long submitAll(Parts parts) throws IOException;
  }

  private ObjectInfo putMultipart(Write write, long length, LongAdder sent, PartSource source)
      throws IOException {
    checkBeforeUpload(write);
    String uploadId;
    try {
      uploadId = client.createMultipartUpload(b -> {
        b.bucket(bucket).key(write.key).metadata(write.metadata).contentType(CONTENT_TYPE);
        if (crc32c) {
          b.checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT);
        } else if (checksums) {
          b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
      }).uploadId();
      bucketSeen = true;
    } catch (SdkException e) {
      throw failure("write", write.key, e);
    }
    Parts parts = new Parts(write.key, uploadId, sent);
    try {
      long total = source.submitAll(parts);
      if (length >= 0 && total != length) {
        throw new IOException("Cannot write " + url(write.key) + ": the stream held " + total
            + " bytes, not the " + length + " announced.");
      }
      return complete(write, uploadId, parts.completed(), total);
    } catch (IOException | RuntimeException | Error e) {
      boolean interrupted = Thread.interrupted();
      try {
        parts.settle();
        abort(write.key, uploadId, e);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      throw e;
    }
  }

  /** A multipart upload checks its condition at the end; refuse a doomed one before it starts. */
  private void checkBeforeUpload(Write write) throws IOException {
    if (write.condition.type() == Condition.Type.NONE) {
      return;
    }
    Optional<ObjectInfo> current = head(write.key);
    boolean holds = write.condition.type() == Condition.Type.IF_ABSENT ? current.isEmpty()
        : current.isPresent() && sameVersion(current.get().version(), write.condition.version());
    if (!holds) {
      throw new PreconditionFailedException(write.key, write.condition);
    }
  }

  private ObjectInfo complete(Write write, String uploadId, List<CompletedPart> parts,
      long total) throws IOException {
    CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder()
        .bucket(bucket).key(write.key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(parts));
    condition(write.condition, request::ifNoneMatch, request::ifMatch);
    return send(write, () -> {
      CompleteMultipartUploadResponse response = client.completeMultipartUpload(request.build());
      return written(write, total, response.eTag(), response.sdkHttpResponse(),
          fullObject(response.checksumCRC32C(), response.checksumType()));
    });
  }

  private void abort(String key, String uploadId, Throwable cause) {
    try {
      client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      cause.addSuppressed(new IOException("Cannot abort multipart upload " + uploadId + " of "
          + url(key) + "; its parts stay until a bucket lifecycle rule for incomplete multipart"
          + " uploads removes them.", e));
    }
  }

  /** The uploads of one object's parts, each from a slice of a file or from its own buffer. */
  private final class Parts {
    private final String key;
    private final String uploadId;
    private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
    private final List<Future<CompletedPart>> futures = new ArrayList<>();
    private final AtomicReference<RuntimeException> failed = new AtomicReference<>();
    private final LongAdder sent;
    private int buffers = 1;

    Parts(String key, String uploadId, LongAdder sent) {
      this.key = key;
      this.uploadId = uploadId;
      this.sent = sent;
    }

    /** Submits every part of the file; each attempt reads its slice again. */
    long uploadFile(FileChannel channel, long length, int partSize) throws IOException {
      int number = 0;
      for (long offset = 0; offset < length; offset += partSize) {
        number++;
        long size = Math.min(partSize, length - offset);
        long start = offset;
        AtomicReference<String> sentCrc = new AtomicReference<>();
        RequestBody body = !crc32c ? slice(channel, offset, size)
            : RequestBody.fromContentProvider(() -> new Crc32cStream(
                new SliceStream(channel, start, size), size, sentCrc::set), size, CONTENT_TYPE);
        submit(number, body, size, null, sentCrc::get, () -> { });
        rethrowFailure();
      }
      return length;
    }

    /** Uploads {@code first} and the rest of {@code content}; returns the total byte count. */
    long uploadAll(byte[] first, int firstLength, InputStream content) throws IOException {
      byte[] buffer = first;
      int length = firstLength;
      long total = 0;
      int number = 0;
      while (true) {
        number++;
        if (number > MAX_PARTS) {
          throw new IOException("Cannot write " + url(key) + ": it needs more than " + MAX_PARTS
              + " parts of " + first.length + " bytes. Give its length so that the part size"
              + " can be chosen to fit.");
        }
        total += length;
        byte[] uploaded = buffer;
        String partCrc = crc32c(uploaded, length);
        submit(number, body(uploaded, length), length, partCrc, () -> partCrc,
            () -> free.add(uploaded));
        if (length < buffer.length) {
          return total;
        }
        buffer = nextBuffer(first.length);
        length = readFully(content, buffer);
        if (length == 0) {
          free.add(buffer);
          return total;
        }
      }
    }

    private byte[] nextBuffer(int partSize) throws IOException {
      rethrowFailure();
      byte[] buffer = free.poll();
      if (buffer == null && buffers < streamBuffers(partSize)) {
        buffers++;
        return new byte[partSize];
      }
      if (buffer == null) {
        try {
          buffer = free.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("Interrupted while writing " + url(key));
        }
      }
      rethrowFailure();
      return buffer;
    }

    /**
     * Uploads one part. {@code headerCrc} is its CRC32C when known before sending, else null (the
     * SDK computes one for the trailer); {@code sentCrc} gives it after the part was sent, for the
     * completion request, where the server's answer does not carry it (S3Proxy's does not).
     */
    private void submit(int number, RequestBody body, long length, String headerCrc,
        Supplier<String> sentCrc, Runnable release) {
      futures.add(partUploads.submit(() -> {
        try {
          if (failed.get() != null) {
            return null;
          }
          UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(bucket).key(key)
              .uploadId(uploadId).partNumber(number).contentLength(length);
          checksum(headerCrc, request::checksumAlgorithm, request::checksumCRC32C);
          UploadPartResponse response = client.uploadPart(request.build(), body);
          sent.add(length);
          CompletedPart.Builder part = CompletedPart.builder().partNumber(number)
              .eTag(response.eTag());
          if (crc32c) {
            part.checksumCRC32C(response.checksumCRC32C() != null ? response.checksumCRC32C()
                : sentCrc.get());
          } else {
            part.checksumCRC32(response.checksumCRC32());
          }
          return part.build();
        } catch (RuntimeException e) {
          failed.compareAndSet(null, e);
          throw e;
        } finally {
          release.run();
        }
      }));
    }

    private void rethrowFailure() throws IOException {
      RuntimeException e = failed.get();
      if (e != null) {
        if (e instanceof SdkException sdk) {
          throw failure("write", key, sdk);
        }
        throw e;
      }
    }

    List<CompletedPart> completed() throws IOException {
      List<CompletedPart> parts = new ArrayList<>(futures.size());
      for (Future<CompletedPart> future : futures) {
        try {
          CompletedPart part = future.get();
          if (part == null) {
            rethrowFailure();
          }
          parts.add(part);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("Interrupted while writing " + url(key));
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof SdkException sdk) {
            throw failure("write", key, sdk);
          }
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IOException("Cannot write " + url(key) + ": " + cause, cause);
        }
      }
      return parts;
    }

    /** Waits until no part upload runs any more, so that the abort is the last word. */
    void settle() {
      failed.compareAndSet(null, new IllegalStateException("upload abandoned"));
      for (Future<CompletedPart> future : futures) {
        try {
          future.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (ExecutionException e) {
          // Already reported through the failure being handled.
        }
      }
    }
  }

  /**
   * Buffers for a stream's parts: one more than the parts in flight, but at most a quarter of the
   * heap (and never fewer than two, one uploading while the next is read), so that a small heap
   * uploads slower instead of failing.
   */
  private int streamBuffers(int partSize) {
    long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
    long fitting = Math.max(2, quarterHeap / partSize);
    return (int) Math.min(tuning.parallelParts() + 1L, fitting);
  }

  /** A slice of the file as a body; every attempt opens a fresh positional stream over it. */
  private static RequestBody slice(FileChannel channel, long offset, long length) {
    ContentStreamProvider provider = () -> new SliceStream(channel, offset, length);
    return RequestBody.fromContentProvider(provider, length, CONTENT_TYPE);
  }

  /**
   * The CRC32C of bytes already in the heap, sent in a header: hashing them costs no read, and a
   * header is the form every server with flexible checksums keeps. Null where none is sent.
   */
  private String crc32c(byte[] buffer, int length) {
    if (!crc32c) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(buffer, 0, length);
    return Crc32c.toBase64(crc);
  }

  /**
   * The object's CRC32C when the answer carries one of the whole object. A multipart upload's
   * {@code COMPOSITE} checksum ({@code <base64>-<parts>}, a checksum of its parts' checksums) is
   * not the object's, so it is not reported; nor is anything from a server that answers none.
   */
  static String fullObject(String crc32c, ChecksumType type) {
    if (crc32c == null || crc32c.indexOf('-') >= 0
        || (type != null && type != ChecksumType.FULL_OBJECT)) {
      return null;
    }
    return crc32c;
  }

  private static RequestBody body(byte[] buffer, int length) {
    // A fresh stream over the same bytes per attempt: retries can resend, and nothing is copied.
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length),
        length, CONTENT_TYPE);
  }

  private int partSize(long length) {
    if (length <= 0) {
      return tuning.partSize();
    }
    long needed = (length + MAX_PARTS - 1) / MAX_PARTS;
    long rounded = (needed + UploadTuning.MIB - 1) / UploadTuning.MIB * UploadTuning.MIB;
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(tuning.partSize(), rounded));
  }

  private static int readFully(InputStream in, byte[] buffer) throws IOException {
    int total = 0;
    while (total < buffer.length) {
      int n = in.read(buffer, total, buffer.length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** S3's answers for a condition that does not hold. */
  private static boolean conditionFailed(Condition condition, S3Exception e) {
    if (condition.type() == Condition.Type.NONE) {
      return false;
    }
    String code = S3Errors.code(e);
    return e.statusCode() == 412
        // S3 refuses one of two conditional writes racing on the same key with a 409.
        || (e.statusCode() == 409 && code.equals("ConditionalRequestConflict"))
        // If-Match on a missing key is a 404.
        || (condition.type() == Condition.Type.IF_MATCH && e.statusCode() == 404
            && code.equals("NoSuchKey"));
  }

  /** The object as written when it carries this write's id: a retry that found its own write. */
  private Optional<ObjectInfo> ownWrite(Write write) throws IOException {
    return head(write.key)
        .filter(info -> write.id().equals(info.metadata().get(ObjectStore.WRITE_ID)));
  }

  private static PreconditionFailedException precondition(String key, Condition condition,
      Exception cause) {
    PreconditionFailedException e = new PreconditionFailedException(key, condition);
    e.initCause(cause);
    return e;
  }

  private void requireBucket(String verb, String key) throws IOException {
    if (bucketSeen) {
      return;
    }
    try {
      client.headBucket(b -> b.bucket(bucket));
      bucketSeen = true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw S3Errors.noSuchBucket(verb, url(key), endpoint, e);
      }
      throw failure(verb, key, e);
    } catch (SdkException e) {
      throw failure(verb, key, e);
    }
  }

  private ObjectInfo written(Write write, long size, String etag, SdkHttpResponse response,
      String crc32c) {
    Instant lastModified = response.firstMatchingHeader("Date").map(date -> {
      try {
        return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }).orElse(null);
    return new ObjectInfo(write.key, size, etag, lastModified, write.metadata, crc32c);
  }

  private IOException failure(String verb, String key, SdkException e) {
    return S3Errors.failure(verb, url(key), endpoint, e);
  }

  private String url(String key) {
    return scheme + "://" + bucket + "/" + key;
  }

  private static boolean sameVersion(String a, String b) {
    return unquote(a).equals(unquote(b));
  }

  private static String unquote(String etag) {
    String trimmed = etag.trim();
    if (trimmed.startsWith("W/")) {
      trimmed = trimmed.substring(2);
    }
    return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
        ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
  }

  /** S3 stores metadata keys in lower case; the caller's write id is kept, else one is made. */
  private static Map<String, String> userMetadata(Map<String, String> metadata) {
    Map<String, String> result = new TreeMap<>();
    if (metadata != null) {
      metadata.forEach((k, v) -> result.put(k.toLowerCase(Locale.ROOT), v));
    }
    result.computeIfAbsent(ObjectStore.WRITE_ID, k -> UUID.randomUUID().toString());
    return Collections.unmodifiableMap(result);
  }

  private record Write(String key, Map<String, String> metadata, Condition condition) {

    String id() {
      return metadata.get(ObjectStore.WRITE_ID);
    }
  }
}
