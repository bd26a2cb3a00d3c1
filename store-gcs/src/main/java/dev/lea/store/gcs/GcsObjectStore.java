package dev.lea.store.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.BucketField;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The objects of one GCS bucket, through the JSON API. Versions are generations (decimal
 * strings); conditions are generation preconditions: {@code ifGenerationMatch=0} for
 * {@link Condition#ifAbsent()}, {@code ifGenerationMatch=<generation>} for
 * {@link Condition#ifMatch(String)}, both checked and applied atomically by GCS.
 *
 * <p>Large writes stream through a resumable upload session, {@code chunkSize} bytes per request;
 * objects whose length is known and small go up in one multipart request. Reads stream the
 * generation that {@code head} saw, so content and info always belong together.
 *
 * <p>Every object's CRC32C, which GCS computes and checks itself, is reported as
 * {@link ObjectInfo#crc32c()} ({@link Capability#CRC32C}), so transports need no hash of their own.
 *
 * <p>Conditional writes carry a write id ({@link ObjectStore#WRITE_ID}). The library retries
 * them when a response is lost; a retry then answers 412 against the object its own first
 * attempt wrote, which this store recognises by the write id and reports as success.
 */
public final class GcsObjectStore implements ObjectStore {

  /** Bytes per resumable upload request and per read buffer; a multiple of 256 KiB. */
  public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
  /** Known-length objects up to this size (lock files) are written in a single request. */
  static final int SINGLE_REQUEST_LIMIT = 256 * 1024;
  private static final int CHUNK_GRANULARITY = 256 * 1024;
  private static final int FIRST_READ = 64 * 1024;
  /** How often a read starts over when the object is replaced between head and download. */
  private static final int READ_ATTEMPTS = 5;
  private static final String CONTENT_TYPE = "application/octet-stream";
  private static final Set<Capability> CAPABILITIES = EnumSet.of(
      Capability.ATOMIC_IF_ABSENT,
      Capability.ATOMIC_IF_MATCH,
      Capability.CONDITIONAL_DELETE,
      Capability.CONDITIONAL_GET,
      Capability.LIST,
      Capability.CRC32C);

  private final Storage storage;
  private final String bucket;
  private final int chunkSize;
  private final AtomicBoolean bucketChecked = new AtomicBoolean();

  /** A store for {@code bucket}; it owns {@code storage} and closes it. */
  public GcsObjectStore(Storage storage, String bucket) {
    this(storage, bucket, DEFAULT_CHUNK_SIZE);
  }

  /**
   * A store for {@code bucket} that uploads and reads {@code chunkSize} bytes at a time; it owns
   * {@code storage} and closes it.
   */
  public GcsObjectStore(Storage storage, String bucket, int chunkSize) {
    if (chunkSize <= 0 || chunkSize % CHUNK_GRANULARITY != 0) {
      throw new IllegalArgumentException(
          "Cannot use chunk size " + chunkSize + ": GCS needs a positive multiple of 256 KiB.");
    }
    this.storage = storage;
    this.bucket = bucket;
    this.chunkSize = chunkSize;
  }

  @Override
  public String describe() {
    return "gs://" + bucket;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<ObjectInfo> head(String key) throws IOException {
    Blob blob;
    try {
      blob = storage.get(BlobId.of(bucket, key));
    } catch (StorageException e) {
      throw translate("read", key, e);
    }
    if (blob == null) {
      requireBucket("read", key);
      return Optional.empty();
    }
    return Optional.of(info(blob));
  }

  /**
   * Not-modified is decided on the generation a metadata request returns (head and compare), not
   * with {@code ifGenerationNotMatch} on the download: the reader API cannot return the object's
   * metadata, and a not-modified answer must carry it. The download that follows is pinned to the
   * generation seen, so it never mixes one object's info with another's bytes.
   */
  @Override
  public ReadResult read(String key, String ifNoneMatch) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Optional<ObjectInfo> info = head(key);
      if (info.isEmpty()) {
        return ReadResult.notFound();
      }
      if (info.get().version().equals(ifNoneMatch)) {
        return ReadResult.notModified(info.get());
      }
      InputStream content = openGeneration(key, info.get());
      if (content != null) {
        return ReadResult.found(info.get(), content);
      }
      if (attempt == READ_ATTEMPTS) {
        throw new IOException("Cannot read " + url(key) + ": it was replaced " + READ_ATTEMPTS
            + " times while being read. Try again when writers are idle.");
      }
    }
  }

  /** A stream of exactly that generation, or {@code null} when it no longer exists. */
  private InputStream openGeneration(String key, ObjectInfo info) throws IOException {
    ReadChannel channel =
        storage.reader(BlobId.of(bucket, key, Long.parseLong(info.version())));
    channel.setChunkSize(bufferSize(info.size()));
    // The first read sends the request, so a generation replaced since head shows up here as a
    // 404 we can start over from, not later in the caller's hands.
    ByteBuffer first = ByteBuffer.allocate((int) Math.min(FIRST_READ, Math.max(1, info.size())));
    try {
      int n;
      do {
        n = channel.read(first);
      } while (n == 0 && first.hasRemaining());
    } catch (IOException | StorageException e) {
      channel.close();
      StorageException cause = storageCause(e);
      if (cause != null && cause.getCode() == 404) {
        return null;
      }
      throw cause != null ? translate("read", key, cause)
          : new IOException("Cannot read " + url(key) + ": " + e.getMessage(), e);
    }
    first.flip();
    return new ChannelInputStream(channel, first, key);
  }

  @Override
  public ObjectInfo put(String key, InputStream content, long length, Map<String, String> metadata,
      Condition condition) throws IOException {
    Long generation = switch (condition.type()) {
      case NONE -> null;
      case IF_ABSENT -> 0L;
      case IF_MATCH -> parseGeneration(condition.version());
    };
    if (condition.type() == Condition.Type.IF_MATCH && generation == null) {
      // Not a generation, so no object can be at that version.
      throw new PreconditionFailedException(key, condition);
    }
    Map<String, String> userMetadata = new TreeMap<>(metadata == null ? Map.of() : metadata);
    if (generation != null) {
      userMetadata.putIfAbsent(ObjectStore.WRITE_ID, UUID.randomUUID().toString());
    }
    BlobInfo target = BlobInfo.newBuilder(BlobId.of(bucket, key))
        .setContentType(CONTENT_TYPE)
        .setMetadata(userMetadata)
        .build();
    try {
      Blob written;
      if (length >= 0 && length <= SINGLE_REQUEST_LIMIT) {
        byte[] bytes = content.readNBytes((int) length);
        if (bytes.length != length || content.read() != -1) {
          throw new IOException("Cannot write " + url(key) + ": the content is not the declared "
              + length + " bytes long. Pass the exact length, or -1 when it is unknown.");
        }
        // Catalog bytes are compressed by the transport when asked; gzip on the wire only
        // spends CPU on every write.
        written = storage.create(target, bytes, generation == null
            ? new BlobTargetOption[] {BlobTargetOption.disableGzipContent()}
            : new BlobTargetOption[] {BlobTargetOption.disableGzipContent(),
                BlobTargetOption.generationMatch(generation)});
      } else {
        List<BlobWriteOption> options = new ArrayList<>();
        options.add(BlobWriteOption.disableGzipContent());
        if (generation != null) {
          options.add(BlobWriteOption.generationMatch(generation));
        }
        if (length >= 0) {
          options.add(BlobWriteOption.expectedObjectSize(length));
        }
        written = storage.createFrom(target, content, bufferSize(length),
            options.toArray(BlobWriteOption[]::new));
      }
      return info(written);
    } catch (IOException | StorageException e) {
      StorageException cause = storageCause(e);
      if (cause == null) {
        throw e instanceof IOException io ? io : new IOException(e);
      }
      if (cause.getCode() == 412 && generation != null) {
        return ownWriteOrFail(key, condition, userMetadata.get(ObjectStore.WRITE_ID), e);
      }
      if (cause.getCode() == 404) {
        throw noBucket("write", key, cause);
      }
      throw translate("write", key, cause);
    }
  }

  /**
   * The request size of a resumable upload or a read of an object of {@code length} bytes (-1:
   * unknown): the library buffers that much on the heap whatever the object's size (twice for an
   * upload), so a 1 MiB chunk of the chunked transport took 16 MiB to write and 8 MiB to read
   * with the default size, and ran a 64 MiB heap out of memory on a 1 GiB catalog.
   */
  private int bufferSize(long length) {
    if (length < 0) {
      return chunkSize;
    }
    long granules = (length + CHUNK_GRANULARITY - 1) / CHUNK_GRANULARITY;
    return (int) Math.min(chunkSize, Math.max(1, granules) * CHUNK_GRANULARITY);
  }

  /**
   * Counts the file's bytes as the client reads them to send: a resumable upload reads a chunk
   * at a time, so the count runs at most a chunk ahead of what GCS has; a file small enough for
   * one request is counted whole before it is sent.
   */
  @Override
  public ObjectInfo put(String key, Path file, Map<String, String> metadata, Condition condition,
      LongAdder sent) throws IOException {
    try (InputStream in = new FilterInputStream(Files.newInputStream(file)) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          sent.add(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          sent.add(n);
        }
        return n;
      }
    }) {
      return put(key, in, Files.size(file), metadata, condition);
    }
  }

  /**
   * A 412 is ours to report unless the object there is the one this very write created: then a
   * retry of a write whose response was lost hit its own first attempt, and the write succeeded.
   */
  private ObjectInfo ownWriteOrFail(String key, Condition condition, String writeId,
      Exception cause) throws IOException {
    Optional<ObjectInfo> now = head(key);
    if (now.isPresent() && writeId.equals(now.get().metadata().get(ObjectStore.WRITE_ID))) {
      return now.get();
    }
    PreconditionFailedException failed = new PreconditionFailedException(key, condition);
    failed.initCause(cause);
    throw failed;
  }

  @Override
  public void delete(String key, Condition condition) throws IOException {
    BlobSourceOption[] options = switch (condition.type()) {
      case NONE -> new BlobSourceOption[0];
      case IF_MATCH -> {
        Long generation = parseGeneration(condition.version());
        if (generation == null) {
          throw new PreconditionFailedException(key, condition);
        }
        yield new BlobSourceOption[] {BlobSourceOption.generationMatch(generation)};
      }
      case IF_ABSENT -> throw new IllegalArgumentException("Cannot delete " + url(key)
          + ": ifAbsent is no condition for a delete. Use none or ifMatch(version).");
    };
    boolean deleted;
    try {
      deleted = storage.delete(BlobId.of(bucket, key), options);
    } catch (StorageException e) {
      if (e.getCode() == 412) {
        PreconditionFailedException failed = new PreconditionFailedException(key, condition);
        failed.initCause(e);
        throw failed;
      }
      throw translate("delete", key, e);
    }
    if (!deleted) {
      requireBucket("delete", key);
      if (condition.type() == Condition.Type.IF_MATCH) {
        throw new PreconditionFailedException(key, condition);
      }
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    List<ObjectInfo> result = new ArrayList<>();
    try {
      Page<Blob> page = prefix == null || prefix.isEmpty()
          ? storage.list(bucket)
          : storage.list(bucket, BlobListOption.prefix(prefix));
      for (Blob blob : page.iterateAll()) {
        result.add(info(blob));
      }
    } catch (StorageException e) {
      String what = prefix == null ? "" : prefix + "*";
      if (e.getCode() == 404) {
        throw noBucket("list", what, e);
      }
      throw translate("list", what, e);
    }
    result.sort(Comparator.comparing(ObjectInfo::key));
    return result;
  }

  @Override
  public void close() throws IOException {
    try {
      storage.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("Cannot close the GCS client of " + describe() + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Tells a missing bucket from a missing object once per store. A principal allowed to use
   * objects but not to read bucket metadata (403) is taken at its word that the bucket exists.
   */
  private void requireBucket(String verb, String key) {
    if (bucketChecked.get()) {
      return;
    }
    Bucket found;
    try {
      found = storage.get(bucket, BucketGetOption.fields(BucketField.NAME));
    } catch (StorageException e) {
      if (e.getCode() == 403) {
        bucketChecked.set(true);
        return;
      }
      throw translateUnchecked(verb, key, e);
    }
    if (found == null) {
      throw noBucket(verb, key, null);
    }
    bucketChecked.set(true);
  }

  private ObjectInfo info(Blob blob) {
    Map<String, String> metadata = new TreeMap<>();
    if (blob.getMetadata() != null) {
      blob.getMetadata().forEach((name, value) -> {
        if (value != null) {
          metadata.put(name, value);
        }
      });
    }
    OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
    // GCS computes every object's CRC32C itself and reports it in the form lea uses.
    return new ObjectInfo(blob.getName(), blob.getSize() == null ? 0 : blob.getSize(),
        Long.toString(blob.getGeneration()), updated == null ? null : updated.toInstant(),
        metadata, blob.getCrc32c());
  }

  private static Long parseGeneration(String version) {
    try {
      long generation = Long.parseLong(version);
      return generation > 0 ? generation : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String url(String key) {
    return "gs://" + bucket + "/" + key;
  }

  private LeaException noBucket(String verb, String key, Throwable cause) {
    return LeaException.user("Cannot " + verb + " " + url(key) + ": bucket '" + bucket
        + "' does not exist. Create it (gcloud storage buckets create gs://" + bucket
        + ") or fix the catalog URL.", cause);
  }

  private IOException translate(String verb, String key, StorageException e) {
    RuntimeException fatal = translateUnchecked(verb, key, e);
    if (fatal instanceof LeaException) {
      throw fatal;
    }
    return new IOException("Cannot " + verb + " " + url(key) + ": " + e.getMessage()
        + " (HTTP " + e.getCode() + "). The client retried what was safe to retry; try again"
        + " later.", e);
  }

  /** Errors the user must act on as {@link LeaException}; anything else as it is. */
  private RuntimeException translateUnchecked(String verb, String key, StorageException e) {
    String thing = "Cannot " + verb + " " + url(key) + ": ";
    if (e.getCode() == 401) {
      return LeaException.user(thing + "the request was not authenticated (401). Renew the"
          + " Application Default Credentials ('gcloud auth application-default login') or"
          + " point GOOGLE_APPLICATION_CREDENTIALS to a valid service account key file.", e);
    }
    if (e.getCode() == 403) {
      return LeaException.user(thing + "access denied (403: " + e.getMessage() + "). Grant the"
          + " account storage object access on bucket '" + bucket
          + "' (roles/storage.objectUser), or use a catalog URL in a bucket it may use.", e);
    }
    Throwable unreachable = networkCause(e);
    if (unreachable instanceof SocketTimeoutException) {
      return LeaException.infrastructure(thing + "the GCS endpoint "
          + storage.getOptions().getHost() + " did not answer in time (" + deadlines()
          + "; " + unreachable.getMessage() + "). Check the network, or raise "
          + LeaSettings.STORE_ATTEMPT_TIMEOUT + " (LEA_STORE_ATTEMPT_TIMEOUT) and "
          + LeaSettings.STORE_REQUEST_TIMEOUT + " (LEA_STORE_REQUEST_TIMEOUT) for a slow link.",
          e);
    }
    if (unreachable != null) {
      return LeaException.infrastructure(thing + "the GCS endpoint "
          + storage.getOptions().getHost() + " is unreachable ("
          + unreachable.getClass().getSimpleName() + ": " + unreachable.getMessage()
          + "). Check the network, and " + GcsSettings.GCS_ENDPOINT
          + " (LEA_GCS_ENDPOINT) when using an emulator.", e);
    }
    return e;
  }

  /** The client's deadlines, as lea's settings name them. */
  private String deadlines() {
    String attempt = storage.getOptions().getTransportOptions() instanceof HttpTransportOptions http
        ? Duration.ofMillis(http.getReadTimeout()) + " per attempt, " : "";
    return attempt + storage.getOptions().getRetrySettings().getTotalTimeoutDuration()
        + " with retries";
  }

  private static Throwable networkCause(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException) {
        return cause;
      }
    }
    return null;
  }

  private static StorageException storageCause(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StorageException storageException) {
        return storageException;
      }
    }
    return null;
  }

  /** The download: the bytes already read by the first request, then the rest of the channel. */
  private final class ChannelInputStream extends InputStream {
    private final ReadChannel channel;
    private final ByteBuffer first;
    private final String key;
    private boolean eof;

    ChannelInputStream(ReadChannel channel, ByteBuffer first, String key) {
      this.channel = channel;
      this.first = first;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (first.hasRemaining()) {
        int n = Math.min(length, first.remaining());
        first.get(buffer, offset, n);
        return n;
      }
      if (eof) {
        return -1;
      }
      try {
        int n;
        do {
          n = channel.read(ByteBuffer.wrap(buffer, offset, length));
        } while (n == 0);
        eof = n < 0;
        return n;
      } catch (StorageException e) {
        throw translate("read", key, e);
      }
    }

    @Override
    public void close() {
      channel.close();
    }
  }
}
