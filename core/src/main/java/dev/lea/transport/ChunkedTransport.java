package dev.lea.transport;

import dev.lea.internal.LocalFiles;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.ZipException;

/**
 * Uploads only what changed. The catalog is cut into content-defined chunks (a FastCDC-style
 * gear hash: about 1 MiB on average, 256 KiB to 4 MiB, boundaries that survive inserts and
 * deletes); each chunk is stored once, under {@code <catalog key>.chunks/<sha256>}, and
 * the object at the catalog key is a small JSON manifest listing the chunks in order. An upload
 * writes the chunks the store lacks, in parallel, then the manifest under the caller's condition:
 * the manifest is the commit point, so a crash before it leaves the previous catalog intact and
 * fencing applies to it as to any other transport's object. The manifest's metadata carries the
 * usual {@link CatalogMetadata}, so status and other transports can read what it holds.
 *
 * <p>A download fetches the chunks in parallel into a temporary sibling of the target, verifies
 * every chunk's SHA-256 and the whole file's, and moves it into place. When the target already
 * exists (an older copy of the catalog), its chunks are reused instead of fetched.
 *
 * <p>Chunks no manifest references any more are removed by {@link ChunkedGc}. An upload vouches
 * for an existing chunk only if the previous manifest lists it or it is younger than an hour; an
 * older unreferenced chunk is written again, which restarts its age, so a
 * collection with a grace period of at least {@link ChunkedGc#MIN_GRACE} cannot delete it while
 * the upload is under way.
 */
final class ChunkedTransport implements CatalogTransport {

  static final String NAME = "chunked";

  /** How young an existing chunk that no previous manifest lists must be to be trusted. */
  static final Duration REUSE_AGE = Duration.ofHours(1);

  static final int DEFAULT_THREADS = 4;

  private static final String CHUNKS = ".chunks/";
  private static final int BUFFER = 64 * 1024;
  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final Chunker chunker;
  private final int threads;
  private final Clock clock;
  private final TransportOptions options;

  ChunkedTransport() {
    this(new Chunker(), DEFAULT_THREADS, Clock.systemUTC());
  }

  /** Tests use small chunks to exercise many of them cheaply. */
  ChunkedTransport(int minChunk, int averageChunk, int maxChunk) {
    this(new Chunker(minChunk, averageChunk, maxChunk), DEFAULT_THREADS, Clock.systemUTC());
  }

  ChunkedTransport(Chunker chunker, int threads, Clock clock) {
    this(chunker, threads, clock, TransportOptions.DEFAULTS);
  }

  private ChunkedTransport(Chunker chunker, int threads, Clock clock, TransportOptions options) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.chunker = chunker;
    this.threads = threads;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public CatalogTransport withOptions(TransportOptions options) {
    return new ChunkedTransport(chunker, threads, clock, options);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GcResult collectGarbage(ObjectStore store, String key, Duration grace)
      throws IOException {
    return ChunkedGc.collect(store, key, grace);
  }

  /** The prefix under which the chunks of the catalog at {@code catalogKey} are stored. */
  public static String chunkPrefix(String catalogKey) {
    return catalogKey + CHUNKS;
  }

  static String chunkKey(String catalogKey, String sha256) {
    return chunkPrefix(catalogKey) + sha256;
  }

  @Override
  public ObjectInfo upload(ObjectStore store, String key, Path source, CatalogFile catalog,
      Condition condition) throws IOException {
    Compression compression = options.codec();
    Map<String, String> present = previousChunks(store, key, condition);
    Set<String> listed = listedChunks(store, key);
    List<ChunkManifest.Entry> entries = new ArrayList<>();
    MessageDigest whole = LocalFiles.sha256();
    long size;
    ExecutorService pool = pool();
    try {
      List<Future<String>> compressions = new ArrayList<>();
      Map<String, Future<String>> scheduled = new HashMap<>();
      AtomicReference<IOException> failure = new AtomicReference<>();
      // A chunk is copied out of the read buffer only once a thread is free to take it: the heap
      // holds at most the buffer and, per thread, a chunk and its compressed copy (each at most
      // the maximum chunk size).
      Semaphore inFlight = new Semaphore(inFlight());
      long[] total = {0};
      try (InputStream in = Files.newInputStream(source)) {
        chunker.split(in, (data, offset, length, position) -> {
          IOException failed = failure.get();
          if (failed != null) {
            throw failed;
          }
          whole.update(data, offset, length);
          String sha = sha256(data, offset, length);
          Future<String> stored = scheduled.get(sha);
          if (stored == null) {
            String known = present.get(sha);
            if (known != null) {
              stored = CompletableFuture.completedFuture(known);
            } else {
              acquire(inFlight);
              byte[] bytes = Arrays.copyOfRange(data, offset, offset + length);
              stored = pool.submit(() -> {
                try {
                  return storeChunk(store, key, sha, bytes, compression, listed.contains(sha));
                } catch (IOException | RuntimeException e) {
                  failure.compareAndSet(null, e instanceof IOException io ? io
                      : new IOException(e.getMessage(), e));
                  throw e;
                } finally {
                  inFlight.release();
                }
              });
            }
            scheduled.put(sha, stored);
          }
          entries.add(new ChunkManifest.Entry(sha, length, null));
          compressions.add(stored);
          total[0] = position + length;
        });
      }
      size = total[0];
      List<String> resolved = awaitAll(compressions);
      for (int i = 0; i < entries.size(); i++) {
        ChunkManifest.Entry entry = entries.get(i);
        entries.set(i, new ChunkManifest.Entry(entry.sha256(), entry.size(), resolved.get(i)));
      }
    } finally {
      shutdown(pool);
    }
    String sha = HexFormat.of().formatHex(whole.digest());
    boolean changed = catalog.sha256() != null && !sha.equalsIgnoreCase(catalog.sha256());
    if (changed || size != catalog.size()) {
      throw new IOException("Cannot upload catalog " + store.describe() + "/" + key + ": "
          + source + " changed while it was uploaded (it now has " + size + " bytes and SHA-256 "
          + sha + ", expected " + catalog.size() + " bytes and " + catalog.sha256() + "). The"
          + " remote catalog was left as it was; upload again.");
    }
    CatalogFile verified = new CatalogFile(sha, size, catalog.format());
    byte[] manifest = new ChunkManifest(ChunkManifest.VERSION, NAME, sha, size, catalog.format(),
        entries).toJson();
    Map<String, String> metadata = new LinkedHashMap<>(
        CatalogMetadata.of(verified, NAME, compression));
    metadata.put(ChunkManifest.MANIFEST_SHA256, ChunkManifest.sha256Of(manifest));
    return store.put(key, new ByteArrayInputStream(manifest), manifest.length, metadata,
        condition);
  }

  /**
   * The chunks the current manifest lists (SHA-256 to compression), which need no upload. Under
   * {@code ifAbsent} the caller saw no catalog, so there is none to read; under {@code ifMatch} a
   * write that is bound to be refused is refused before it uploads any chunk (the manifest's
   * conditional write still decides).
   */
  private static Map<String, String> previousChunks(ObjectStore store, String key,
      Condition condition) throws IOException {
    if (condition.type() == Condition.Type.IF_ABSENT) {
      return Map.of();
    }
    try (ReadResult read = store.read(key, null)) {
      if (read.status() != ReadResult.Status.FOUND) {
        if (condition.type() == Condition.Type.IF_MATCH) {
          throw new PreconditionFailedException(key, condition);
        }
        return Map.of();
      }
      ObjectInfo info = read.info();
      if (condition.type() == Condition.Type.IF_MATCH
          && !condition.version().equals(info.version())) {
        throw new PreconditionFailedException(key, condition);
      }
      if (!NAME.equals(info.metadata().get(CatalogMetadata.TRANSPORT))) {
        return Map.of();
      }
      ChunkManifest manifest;
      try {
        manifest = ChunkManifest.parse(store, info, read.content().readAllBytes());
      } catch (CatalogIntegrityException e) {
        // A damaged manifest vouches for nothing; this upload replaces it.
        return Map.of();
      }
      Map<String, String> chunks = new HashMap<>();
      manifest.chunks().forEach(c -> chunks.put(c.sha256(), c.compression()));
      return chunks;
    }
  }

  /**
   * Stores one chunk unless the store has a usable copy; returns the compression of the stored
   * object. {@code listed} says the chunk was there when the upload began (left by an upload that
   * never committed, or referenced by an older manifest), so a head is cheaper than sending it.
   */
  private String storeChunk(ObjectStore store, String key, String sha, byte[] bytes,
      Compression compression, boolean listed) throws IOException {
    String chunkKey = chunkKey(key, sha);
    Map<String, String> metadata = Map.of(
        CatalogMetadata.SHA256, sha,
        CatalogMetadata.SIZE, Integer.toString(bytes.length),
        CatalogMetadata.COMPRESSION, compression.metadataValue());
    Condition condition = Condition.ifAbsent();
    if (listed) {
      Optional<ObjectInfo> existing = store.head(chunkKey);
      if (existing.isPresent()) {
        Optional<String> reused = reusable(existing.get(), sha, bytes.length);
        if (reused.isPresent()) {
          return reused.get();
        }
        condition = Condition.none();
      }
    }
    byte[] stored = compress(bytes, compression);
    try {
      store.put(chunkKey, new ByteArrayInputStream(stored), stored.length, metadata, condition);
      return compression.metadataValue();
    } catch (PreconditionFailedException alreadyThere) {
      Optional<String> reused = store.head(chunkKey).flatMap(info -> reusable(info, sha,
          bytes.length));
      if (reused.isPresent()) {
        return reused.get();
      }
      // Old enough that a collection may have found it unreferenced: writing it again restarts
      // its age, and a collection's conditional delete of the old version fails.
      store.put(chunkKey, new ByteArrayInputStream(stored), stored.length, metadata,
          Condition.none());
      return compression.metadataValue();
    }
  }

  /** The SHA-256 of the chunks stored under the catalog's prefix, when the store can list. */
  private static Set<String> listedChunks(ObjectStore store, String key) throws IOException {
    if (!store.supports(Capability.LIST)) {
      return Set.of();
    }
    String prefix = chunkPrefix(key);
    Set<String> listed = new HashSet<>();
    for (ObjectInfo info : store.list(prefix)) {
      listed.add(info.key().substring(prefix.length()));
    }
    return listed;
  }

  /** The compression of an existing chunk that is young and describes itself as expected. */
  private Optional<String> reusable(ObjectInfo info, String sha, int length) {
    Map<String, String> metadata = info.metadata();
    Instant modified = info.lastModified();
    String compression = metadata.getOrDefault(CatalogMetadata.COMPRESSION, "none");
    try {
      Compression.named(compression);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    boolean young = modified != null && modified.isAfter(clock.instant().minus(REUSE_AGE));
    boolean matches = sha.equals(metadata.get(CatalogMetadata.SHA256))
        && Integer.toString(length).equals(metadata.get(CatalogMetadata.SIZE));
    return young && matches ? Optional.of(compression) : Optional.empty();
  }

  @Override
  public Download download(
      ObjectStore store, String key, Path target, String ifNoneMatch)
      throws IOException {
    ObjectInfo info;
    ChunkManifest manifest;
    try (ReadResult read = store.read(key, ifNoneMatch)) {
      Optional<Download> nothingToWrite = Download.withoutContent(read);
      if (nothingToWrite.isPresent()) {
        return nothingToWrite.get();
      }
      info = read.info();
      InputStream content = read.content();
      String writtenBy = info.metadata().get(CatalogMetadata.TRANSPORT);
      if (writtenBy == null) {
        // No lea metadata: a plain file as object-copy reads it, or a proof-of-concept Parquet.
        content = new BufferedInputStream(content);
        boolean parquet = Arrays.equals(content.readNBytes(PARQUET_MAGIC.length), PARQUET_MAGIC);
        writtenBy = parquet ? ParquetBlobTransport.NAME : ObjectCopyTransport.NAME;
      }
      if (!NAME.equals(writtenBy)) {
        throw CatalogIntegrityException.otherTransport(store, key, writtenBy, NAME);
      }
      manifest = ChunkManifest.parse(store, info, content.readAllBytes());
    }
    return assemble(store, key, info, manifest, target);
  }

  private Download assemble(ObjectStore store, String key, ObjectInfo info,
      ChunkManifest manifest, Path target) throws IOException {
    Map<String, Chunker.Chunk> local = localChunks(target);
    Path temp = LocalFiles.createPrivateTempSibling(target);
    ExecutorService pool = pool();
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        List<Future<Void>> tasks = new ArrayList<>();
        long position = 0;
        for (ChunkManifest.Entry chunk : manifest.chunks()) {
          long at = position;
          Chunker.Chunk reuse = local.get(chunk.sha256());
          tasks.add(pool.submit(() -> {
            if (reuse == null || reuse.length() != chunk.size()
                || !copyLocal(target, reuse, out, at)) {
              fetch(store, key, chunk, out, at);
            }
            return null;
          }));
          position += chunk.size();
        }
        awaitAll(tasks);
      }
      long size = Files.size(temp);
      String sha = LocalFiles.sha256(temp);
      if (size != manifest.size() || !sha.equals(manifest.sha256())) {
        throw CatalogIntegrityException.corrupt(store, key, "its chunks assemble to " + size
            + " bytes with SHA-256 " + sha + " but its manifest says " + manifest.size()
            + " bytes with " + manifest.sha256());
      }
      LocalFiles.moveAtomically(temp, target);
      return new Download(ReadResult.Status.FOUND, info, sha, size);
    } finally {
      shutdown(pool);
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The chunks of an existing target by SHA-256: an older copy of the catalog shares most of
   * them with the new one. Reuse is an optimisation, so an unreadable target just means none.
   */
  private Map<String, Chunker.Chunk> localChunks(Path target) {
    if (!Files.isRegularFile(target)) {
      return Map.of();
    }
    Map<String, Chunker.Chunk> chunks = new HashMap<>();
    try {
      chunker.chunks(target).forEach(c -> chunks.putIfAbsent(c.sha256(), c));
    } catch (IOException e) {
      return Map.of();
    }
    return chunks;
  }

  /** Copies a chunk of the local target; false when its bytes no longer have the hash. */
  private static boolean copyLocal(Path target, Chunker.Chunk chunk, FileChannel out, long at)
      throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(chunk.length());
    try (FileChannel in = FileChannel.open(target, StandardOpenOption.READ)) {
      while (bytes.hasRemaining()) {
        if (in.read(bytes, chunk.position() + bytes.position()) < 0) {
          return false;
        }
      }
    }
    if (!chunk.sha256().equals(sha256(bytes.array(), 0, chunk.length()))) {
      return false;
    }
    bytes.flip();
    writeAt(out, bytes, at);
    return true;
  }

  private static void fetch(ObjectStore store, String key, ChunkManifest.Entry chunk,
      FileChannel out, long at) throws IOException {
    String chunkKey = chunkKey(key, chunk.sha256());
    try (ReadResult read = store.read(chunkKey, null)) {
      if (read.status() != ReadResult.Status.FOUND) {
        throw CatalogIntegrityException.corrupt(store, key, "its chunk " + chunkKey
            + " is missing");
      }
      // The object's own metadata is authoritative: rewriting an old chunk may change it.
      String named = read.info().metadata().getOrDefault(CatalogMetadata.COMPRESSION,
          chunk.compression());
      Compression compression;
      try {
        compression = Compression.named(named);
      } catch (IllegalArgumentException e) {
        throw CatalogIntegrityException.corrupt(store, key, "its chunk " + chunkKey
            + " names an unknown compression '" + named + "'");
      }
      MessageDigest digest = LocalFiles.sha256();
      long written = 0;
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = compression.decompress(read.content())) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (written + n > chunk.size()) {
            throw CatalogIntegrityException.corrupt(store, key, "its chunk " + chunkKey
                + " is longer than the " + chunk.size() + " bytes its manifest says");
          }
          digest.update(buffer, 0, n);
          writeAt(out, ByteBuffer.wrap(buffer, 0, n), at + written);
          written += n;
        }
      } catch (ZipException | EOFException e) {
        throw undecompressable(store, key, chunkKey, e);
      } catch (IOException e) {
        if (compression == Compression.ZSTD && e.getClass().getName().contains("Zstd")) {
          throw undecompressable(store, key, chunkKey, e);
        }
        throw e;
      }
      String sha = HexFormat.of().formatHex(digest.digest());
      if (written != chunk.size() || !sha.equals(chunk.sha256())) {
        throw CatalogIntegrityException.corrupt(store, key, "its chunk " + chunkKey + " has "
            + written + " bytes with SHA-256 " + sha + " but its manifest says " + chunk.size()
            + " bytes");
      }
    }
  }

  private static CatalogIntegrityException undecompressable(ObjectStore store, String key,
      String chunkKey, IOException e) {
    String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return CatalogIntegrityException.corrupt(store, key, "its chunk " + chunkKey
        + " cannot be decompressed (" + reason + ")", e);
  }

  private static void writeAt(FileChannel out, ByteBuffer bytes, long at) throws IOException {
    long position = at;
    while (bytes.hasRemaining()) {
      position += out.write(bytes, position);
    }
  }

  private static byte[] compress(byte[] bytes, Compression compression) throws IOException {
    if (compression == Compression.NONE) {
      return bytes;
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(bytes.length / 2 + 64);
    try (OutputStream out = compression.compress(buffer)) {
      out.write(bytes);
    }
    return buffer.toByteArray();
  }

  private static String sha256(byte[] data, int offset, int length) {
    MessageDigest digest = LocalFiles.sha256();
    digest.update(data, offset, length);
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Chunks moved at once: {@code threads}, fewer in a small heap. Each costs up to four times the
   * largest chunk there (the chunk, its compressed copy, and the copies a store's client makes of
   * a request body), and together they take at most a quarter of the heap: at {@code -Xmx64m}
   * the GCS client's copies of four chunks in flight ran the heap out, one at a time fits.
   */
  private int inFlight() {
    long fits = Runtime.getRuntime().maxMemory() / 4 / (4L * chunker.max());
    return (int) Math.max(1, Math.min(threads, fits));
  }

  private ExecutorService pool() {
    return Executors.newFixedThreadPool(inFlight(), task -> {
      Thread thread = new Thread(task, "lea-chunked-" + THREAD_IDS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Stops the pool and waits for its tasks, so none writes after the caller cleans up. */
  private static void shutdown(ExecutorService pool) throws InterruptedIOException {
    pool.shutdownNow();
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while stopping chunk transfers");
    }
  }

  private static void acquire(Semaphore semaphore) throws InterruptedIOException {
    try {
      semaphore.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while uploading chunks");
    }
  }

  /** The results in order; the first failure cancels the rest and is thrown as it was. */
  private static <T> List<T> awaitAll(List<? extends Future<T>> futures) throws IOException {
    List<T> results = new ArrayList<>(futures.size());
    try {
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while transferring chunks");
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException unchecked) {
        throw unchecked.getCause();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }
}
