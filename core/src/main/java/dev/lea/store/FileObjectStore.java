package dev.lea.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lea.LeaException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A directory acting as a bucket: key {@code lake/c.sqlite} is the file {@code <root>/lake/c.sqlite}.
 *
 * <p>Each object is one file: a small header (magic, version, write time, metadata as JSON)
 * followed by the object's bytes. Because version, metadata and bytes live in one file that is
 * replaced by a single atomic rename, a reader always sees all three from the same write. A file
 * without the header (one copied in by hand, such as an existing catalog) is served as an object
 * without metadata whose version derives from its size, modification time and inode.
 *
 * <p>Conditional writes take a per-key lock: an in-JVM lock (a {@link FileLock} does not exclude
 * threads of one JVM) and then an exclusive {@link FileLock} on a lock file under
 * {@code <root>/.lea-locks}, so check-and-swap is atomic across threads and processes. Lock files
 * are never deleted, since deleting a lock file lets two processes lock different inodes.
 *
 * <p>Names starting with {@code .lea-} are reserved for the store's temporary and lock files and
 * are hidden from {@link #list(String)}. Files and directories are created owner-only where the
 * file system has POSIX permissions.
 */
public final class FileObjectStore implements ObjectStore {

  static final String RESERVED_PREFIX = ".lea-";
  private static final String TEMP_PREFIX = RESERVED_PREFIX + "tmp-";
  private static final String LOCK_DIRECTORY = RESERVED_PREFIX + "locks";
  private static final byte[] MAGIC = "LEAOBJ1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEADER = 1 << 20;
  private static final int BUFFER = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Capability> CAPABILITIES = Set.of(
      Capability.ATOMIC_IF_ABSENT, Capability.ATOMIC_IF_MATCH, Capability.CONDITIONAL_DELETE,
      Capability.CONDITIONAL_GET, Capability.LIST);

  // Shared by every instance: two stores on the same directory must exclude each other too.
  private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

  static {
    Arrays.setAll(STRIPES, i -> new ReentrantLock());
  }

  private final Path root;
  private final boolean posix;

  /** A store rooted at {@code root}; the directory is created on the first write. */
  public FileObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  @Override
  public String describe() {
    String uri = root.toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<ObjectInfo> head(String key) throws IOException {
    Path file = resolve(key);
    refuseLinkOutside(key, file);
    try (FileChannel channel = openForRead(file)) {
      return channel == null ? Optional.empty() : Optional.of(readHeader(key, file, channel).info);
    }
  }

  @Override
  public ReadResult read(String key, String ifNoneMatch) throws IOException {
    Path file = resolve(key);
    refuseLinkOutside(key, file);
    FileChannel channel = openForRead(file);
    if (channel == null) {
      return ReadResult.notFound();
    }
    try {
      Header header = readHeader(key, file, channel);
      if (header.info.version().equals(ifNoneMatch)) {
        channel.close();
        return ReadResult.notModified(header.info);
      }
      channel.position(header.contentOffset);
      return ReadResult.found(header.info,
          new BufferedInputStream(Channels.newInputStream(channel), BUFFER));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public ObjectInfo put(String key, InputStream content, long length,
      Map<String, String> metadata, Condition condition) throws IOException {
    Path target = resolve(key);
    Map<String, String> normalised = normalise(metadata);
    // Fail before streaming a large body when the condition already does not hold.
    check(key, target, condition);
    Path directory = target.getParent();
    createDirectories(directory);
    checkInsideRoot(key, directory);
    String version = UUID.randomUUID().toString().replace("-", "");
    Instant written = Instant.now();
    Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID());
    try {
      long size;
      try (FileChannel out = FileChannel.open(temp,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(false))) {
        writeFully(out, ByteBuffer.wrap(header(version, written, normalised)));
        size = copy(content, out);
        if (length >= 0 && size != length) {
          throw new IOException("Cannot write " + key + " to " + describe() + ": the stream had "
              + size + " bytes where " + length + " were announced; nothing was written.");
        }
        out.force(true);
      }
      KeyLock lock = lock(key);
      try {
        check(key, target, condition);
        move(key, temp, target);
      } finally {
        lock.close();
      }
      syncDirectory(directory);
      return new ObjectInfo(key, size, version, written, normalised);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void delete(String key, Condition condition) throws IOException {
    Path target = resolve(key);
    if (!Files.isRegularFile(target)) {
      // Nothing to delete: answer without locking, which would create the directory.
      check(key, target, condition);
      return;
    }
    refuseLinkOutside(key, target.getParent());
    KeyLock lock = lock(key);
    try {
      check(key, target, condition);
      if (!Files.isDirectory(target)) {
        Files.deleteIfExists(target);
      }
    } finally {
      lock.close();
    }
    syncDirectory(target.getParent());
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    String wanted = prefix == null ? "" : prefix;
    Path start = root;
    int slash = wanted.lastIndexOf('/');
    if (slash > 0 && isPlainDirectoryPrefix(wanted.substring(0, slash))) {
      start = root.resolve(wanted.substring(0, slash));
    }
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.equals(root) || !isReserved(dir) ? FileVisitResult.CONTINUE
            : FileVisitResult.SKIP_SUBTREE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && !isReserved(file) && keyOf(file).startsWith(wanted)) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    List<ObjectInfo> result = new ArrayList<>();
    for (Path file : files) {
      String key = keyOf(file);
      try (FileChannel channel = openForRead(file)) {
        if (channel != null) {
          result.add(readHeader(key, file, channel).info);
        }
      }
    }
    result.sort(Comparator.comparing(ObjectInfo::key));
    return result;
  }

  @Override
  public void close() {
    // Nothing is held between calls: every operation opens and closes its own files.
  }

  @Override
  public String toString() {
    return "FileObjectStore[" + root + "]";
  }

  private Path resolve(String key) {
    Location.of("file", root.toString(), key);
    for (String segment : key.split("/")) {
      if (segment.startsWith(RESERVED_PREFIX)) {
        throw LeaException.user("Cannot use key '" + key + "' in " + describe() + ": names"
            + " starting with '" + RESERVED_PREFIX + "' are reserved for the store's temporary"
            + " and lock files. Choose another name.");
      }
    }
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw LeaException.user("Cannot use key '" + key + "' in " + describe()
          + ": it resolves outside the store's directory.");
    }
    return path;
  }

  /** Refuses writes through a symbolic link that leads out of the root. */
  private void checkInsideRoot(String key, Path directory) throws IOException {
    if (!directory.toRealPath().startsWith(root.toRealPath())) {
      throw LeaException.user("Cannot use key '" + key + "' in " + describe() + ": its directory "
          + directory + " is a link to outside the store's directory.");
    }
  }

  /** Refuses reads and deletes that would follow a symbolic link out of the root. */
  private void refuseLinkOutside(String key, Path path) throws IOException {
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException | NotDirectoryException e) {
      return;
    }
    if (!real.startsWith(root.toRealPath())) {
      throw LeaException.user("Cannot use key '" + key + "' in " + describe() + ": " + path
          + " is a link to outside the store's directory.");
    }
  }

  private boolean isPlainDirectoryPrefix(String directory) {
    for (String segment : directory.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
          || segment.contains("\\")) {
        return false;
      }
    }
    return true;
  }

  private boolean isReserved(Path path) {
    return path.getFileName().toString().startsWith(RESERVED_PREFIX);
  }

  private String keyOf(Path file) {
    Iterator<Path> parts = root.relativize(file).iterator();
    StringBuilder key = new StringBuilder();
    while (parts.hasNext()) {
      key.append(parts.next());
      if (parts.hasNext()) {
        key.append('/');
      }
    }
    return key.toString();
  }

  private void check(String key, Path target, Condition condition) throws IOException {
    if (condition.type() == Condition.Type.NONE) {
      return;
    }
    Optional<String> current = currentVersion(key, target);
    boolean holds = condition.type() == Condition.Type.IF_ABSENT
        ? current.isEmpty()
        : current.isPresent() && current.get().equals(condition.version());
    if (!holds) {
      throw new PreconditionFailedException(key, condition);
    }
  }

  private Optional<String> currentVersion(String key, Path file) throws IOException {
    try (FileChannel channel = openForRead(file)) {
      return channel == null ? Optional.empty()
          : Optional.of(readHeader(key, file, channel).info.version());
    }
  }

  /** An open channel, or {@code null} when there is no object (also for a directory). */
  private static FileChannel openForRead(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      return null;
    }
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return null;
    }
  }

  private record Header(ObjectInfo info, long contentOffset) {}

  /** Reads the header from the open file, so it always describes the bytes of that same file. */
  private Header readHeader(String key, Path file, FileChannel channel) throws IOException {
    long fileSize = channel.size();
    ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + Integer.BYTES);
    readFully(channel, prefix, 0);
    byte[] magic = Arrays.copyOf(prefix.array(), MAGIC.length);
    if (prefix.position() < prefix.capacity() || !Arrays.equals(magic, MAGIC)) {
      return plainFile(key, file, fileSize);
    }
    int length = prefix.getInt(MAGIC.length);
    long offset = (long) MAGIC.length + Integer.BYTES + length;
    if (length < 2 || length > MAX_HEADER || offset > fileSize) {
      throw corrupt(key, "its header length " + length + " does not fit the file");
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(channel, body, MAGIC.length + Integer.BYTES);
    JsonNode json;
    try {
      json = JSON.readTree(body.array());
    } catch (IOException e) {
      throw corrupt(key, "its header is not JSON");
    }
    if (json == null || !json.path("version").isTextual() || !json.path("written").isTextual()) {
      throw corrupt(key, "its header has no version or write time");
    }
    Map<String, String> metadata = new TreeMap<>();
    json.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    Instant written;
    try {
      written = Instant.parse(json.get("written").asText());
    } catch (RuntimeException e) {
      throw corrupt(key, "its header has an invalid write time");
    }
    ObjectInfo info = new ObjectInfo(
        key, fileSize - offset, json.get("version").asText(), written, metadata);
    return new Header(info, offset);
  }

  private Header plainFile(String key, Path file, long size) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    Instant modified = attrs.lastModifiedTime().toInstant();
    String identity = size + "/" + modified + "/" + attrs.fileKey();
    String version = "plain-" + sha256(identity).substring(0, 32);
    return new Header(new ObjectInfo(key, size, version, modified, Map.of()), 0);
  }

  private IOException corrupt(String key, String reason) {
    return new IOException("Cannot read " + key + " in " + describe() + ": " + reason
        + ". The file was not written by lea's file store or is damaged; restore or delete it.");
  }

  private static byte[] header(String version, Instant written, Map<String, String> metadata)
      throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("version", version);
    json.put("written", written.toString());
    ObjectNode meta = json.putObject("metadata");
    metadata.forEach(meta::put);
    byte[] body = JSON.writeValueAsBytes(json);
    if (body.length > MAX_HEADER) {
      throw new IOException("Cannot write object metadata of " + body.length
          + " bytes: the file store keeps at most " + MAX_HEADER + " bytes of metadata.");
    }
    ByteBuffer header = ByteBuffer.allocate(MAGIC.length + Integer.BYTES + body.length);
    header.put(MAGIC).putInt(body.length).put(body);
    return header.array();
  }

  private static Map<String, String> normalise(Map<String, String> metadata) {
    Map<String, String> result = new TreeMap<>();
    if (metadata != null) {
      metadata.forEach((k, v) -> result.put(k.toLowerCase(Locale.ROOT), v));
    }
    return result;
  }

  private static long copy(InputStream in, FileChannel out) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      writeFully(out, ByteBuffer.wrap(buffer, 0, n));
      total += n;
    }
    return total;
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  private static void readFully(FileChannel in, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = in.read(buffer, at);
      if (n < 0) {
        return;
      }
      at += n;
    }
  }

  private void move(String key, Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      if (Files.isDirectory(target)) {
        throw new IOException("Cannot write " + key + " to " + describe() + ": " + target
            + " is a directory holding other objects.", e);
      }
      throw e;
    }
  }

  private void createDirectories(Path directory) throws IOException {
    try {
      Files.createDirectories(directory, ownerOnly(true));
    } catch (FileSystemException e) {
      if (Files.isDirectory(directory)) {
        return;
      }
      throw new IOException("Cannot create directory " + directory + " in " + describe() + ": "
          + e.getMessage() + ". A file with the name of a folder in the key may be in the way.",
          e);
    }
  }

  /** Makes a rename durable; file systems that cannot open directories (Windows) skip it. */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // The rename is already visible to every reader; only durability across a crash is lost.
    }
  }

  private FileAttribute<?>[] ownerOnly(boolean directory) {
    if (!posix) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))};
  }

  /** Held while an operation checks and swaps one key. */
  private interface KeyLock {
    void close() throws IOException;
  }

  private KeyLock lock(String key) throws IOException {
    Path directory = root.resolve(LOCK_DIRECTORY);
    createDirectories(directory);
    Path file = directory.toRealPath().resolve(sha256(key));
    ReentrantLock stripe = STRIPES[Math.floorMod(file.hashCode(), STRIPES.length)];
    stripe.lock();
    FileChannel channel = null;
    try {
      Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel = FileChannel.open(file, options, ownerOnly(false));
      FileLock fileLock = channel.lock();
      FileChannel held = channel;
      return () -> {
        try {
          fileLock.release();
          held.close();
        } finally {
          stripe.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } finally {
        stripe.unlock();
      }
      throw e;
    }
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
