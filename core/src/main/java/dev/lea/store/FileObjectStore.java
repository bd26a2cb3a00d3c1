package dev.lea.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lea.internal.Background;
import dev.lea.internal.LocalFiles;
import dev.lea.spi.LeaException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * A directory acting as a bucket: key {@code lake/c.sqlite} is the file {@code <root>/lake/c.sqlite}
 * holding exactly the object's bytes, so DuckDB, sqlite3, a backup tool or a colleague can open a
 * catalog in the bucket folder, as with S3Proxy's filesystem store or rclone.
 *
 * <p>Version, write time, CRC32C and metadata live beside it in a sidecar, {@code
 * <dir>/.lea-meta-<name>.json}. A sidecar record names the data file it describes by identity
 * (file key, size, modification time), so a record is never taken for other bytes: a file
 * changed in place behind the store gets a version of its own but keeps the last write's
 * metadata and CRC32C, so a download that verifies them refuses it (deleting the sidecar accepts
 * it); a file without a sidecar (copied in by hand) is a plain object without metadata. A sidecar
 * rather than extended attributes: it works on every file system (tmpfs, NFS, SMB, Windows),
 * tools that silently drop extended attributes (cp, tar, many backup tools) would strip the
 * metadata unseen, and Java reads extended attributes by path, not from the open file, so the
 * identity check would be needed there too.
 *
 * <p>A write streams into a temporary file in the key's directory, then under the per-key lock
 * checks the condition, writes the sidecar that will hold the current object's record and the new
 * one into another temporary file, {@code fsync}s both at once (on two threads, so the file system
 * commits them together), and renames the sidecar and then the data into place; one {@code fsync}
 * of the directory makes both renames durable. A kill at any point leaves the old object (data and
 * record) or the new one: until the data rename, the data file is still the one the old record
 * names. A reader stats the data file, opens it, reads the sidecar and stats again, retrying when
 * a rename came in between, so what it returns was one object.
 *
 * <p>Files written by earlier versions of this store ({@code LEAOBJ1} header, then the bytes) are
 * still read, header included; the next write of the key stores it in the current layout.
 *
 * <p>Conditional writes take a per-key lock: an in-JVM lock (a {@link FileLock} does not exclude
 * threads of one JVM) and then an exclusive {@link FileLock} on a lock file under
 * {@code <root>/.lea-locks}, so check-and-swap is atomic across threads and processes. Lock files
 * are never deleted, since deleting a lock file lets two processes lock different inodes.
 *
 * <p>Names starting with {@code .lea-} are reserved for the store's temporary, metadata and lock
 * files and are hidden from {@link #list(String)}. Temporary files are named after their writer's
 * host and process, so the first write into a directory removes those a killed writer left.
 * Files and directories are created owner-only where the file system has POSIX permissions.
 */
final class FileObjectStore implements ObjectStore {

  static final String RESERVED_PREFIX = ".lea-";
  private static final String TEMP_PREFIX = RESERVED_PREFIX + "tmp-";
  private static final String META_PREFIX = RESERVED_PREFIX + "meta-";
  private static final String META_SUFFIX = ".json";
  private static final String LOCK_DIRECTORY = RESERVED_PREFIX + "locks";
  private static final byte[] MAGIC = "LEAOBJ1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEADER = 1 << 20;
  private static final int BUFFER = 1 << 20;
  private static final int READ_ATTEMPTS = 20;
  /**
   * A temporary file of another host cannot be checked by process id; one untouched this long
   * belongs to a writer that is gone (a live writer renames its file within moments of the last
   * byte).
   */
  private static final Duration FOREIGN_TEMP_AGE = Duration.ofDays(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Capability> CAPABILITIES = Set.of(
      Capability.ATOMIC_IF_ABSENT, Capability.ATOMIC_IF_MATCH, Capability.CONDITIONAL_DELETE,
      Capability.CONDITIONAL_GET, Capability.LIST, Capability.CRC32C);

  // Shared by every instance: two stores on the same directory must exclude each other too.
  private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

  static {
    Arrays.setAll(STRIPES, i -> new ReentrantLock());
  }

  private final Path root;
  private final boolean posix;
  private final Runnable betweenMetadataAndData;
  private final Set<Path> swept = ConcurrentHashMap.newKeySet();

  /** A store rooted at {@code root}; the directory is created on the first write. */
  FileObjectStore(Path root) {
    this(root, () -> { });
  }

  /** For crash tests: {@code betweenMetadataAndData} runs after the sidecar is replaced. */
  FileObjectStore(Path root, Runnable betweenMetadataAndData) {
    this.root = root.toAbsolutePath().normalize();
    this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
    this.betweenMetadataAndData = betweenMetadataAndData;
  }

  /** The root directory. */
  Path root() {
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
    try (Opened opened = open(key, file)) {
      return opened == null ? Optional.empty() : Optional.of(opened.info());
    }
  }

  @Override
  public ReadResult read(String key, String ifNoneMatch) throws IOException {
    Path file = resolve(key);
    refuseLinkOutside(key, file);
    Opened opened = open(key, file);
    if (opened == null) {
      return ReadResult.notFound();
    }
    try {
      if (opened.info().version().equals(ifNoneMatch)) {
        opened.close();
        return ReadResult.notModified(opened.info());
      }
      opened.channel.position(opened.contentOffset);
      return ReadResult.found(opened.info(), opened.channel);
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  @Override
  public ObjectInfo put(String key, InputStream content, long length,
      Map<String, String> metadata, Condition condition) throws IOException {
    return write(key, metadata, condition, (out, crc) -> {
      byte[] buffer = new byte[BUFFER];
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      long total = 0;
      for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
        crc.update(buffer, 0, n);
        writeFully(out, wrapped.clear().limit(n));
        total += n;
      }
      if (length >= 0 && total != length) {
        throw new IOException("Cannot write " + key + " to " + describe() + ": the stream had "
            + total + " bytes where " + length + " were announced; nothing was written.");
      }
      return total;
    });
  }

  /**
   * Copies the file in the kernel, the CRC32C computed from the copy as it lands ({@link
   * CheckedCopy}): the bytes never cross into the JVM on the copy's path.
   */
  @Override
  public ObjectInfo put(String key, Path file, Map<String, String> metadata, Condition condition,
      LongAdder sent) throws IOException {
    return write(key, metadata, condition, (out, crc) -> {
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        return CheckedCopy.transfer(in, 0, out, crc::update, sent::add);
      }
    });
  }

  /**
   * Writes an object's bytes into a temporary file open for reading and writing, answering how
   * many were written.
   */
  private interface Body {
    long writeTo(FileChannel out, CRC32C crc) throws IOException;
  }

  private ObjectInfo write(String key, Map<String, String> metadata, Condition condition,
      Body body) throws IOException {
    Path target = resolve(key);
    Map<String, String> normalised = normalise(metadata);
    if (condition.type() != Condition.Type.NONE) {
      // Fail before streaming a large body when the condition already does not hold.
      check(key, current(key, target), condition);
    }
    Path directory = target.getParent();
    createDirectories(directory);
    checkInsideRoot(key, directory);
    sweepOnce(directory);
    Path temp = directory.resolve(tempName());
    Path staged = null;
    try {
      CRC32C crc = new CRC32C();
      long size;
      try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.READ, StandardOpenOption.WRITE), ownerOnly(false))) {
        size = body.writeTo(out, crc);
      }
      ObjectInfo info = new ObjectInfo(key, size, UUID.randomUUID().toString().replace("-", ""),
          Instant.now(), normalised, Crc32c.toBase64(crc));
      Record record = new Record(Identity.of(temp), info);
      KeyLock lock = lock(key);
      try {
        Opened current = current(key, target);
        check(key, current, condition);
        // The sidecar is written and fsynced while the bytes are: the file system commits both
        // at once instead of one after the other.
        FutureTask<Path> staging = Background.start("lea-sidecar",
            () -> stageSidecar(key, target, kept(current), record));
        try {
          force(temp);
        } finally {
          staged = Background.await(staging);
        }
        Files.move(staged, sidecar(target), StandardCopyOption.ATOMIC_MOVE);
        betweenMetadataAndData.run();
        move(key, temp, target);
      } finally {
        lock.close();
      }
      syncDirectory(directory);
      return info;
    } finally {
      Files.deleteIfExists(temp);
      if (staged != null) {
        Files.deleteIfExists(staged);
      }
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * The record a new sidecar keeps beside the new one: the current object's, whose data file is
   * still in place until the new one is renamed over it. A legacy object's record cannot be kept:
   * it describes bytes after a header.
   */
  private static Record kept(Opened current) {
    return current != null && current.contentOffset() == 0 ? current.record() : null;
  }

  @Override
  public void delete(String key, Condition condition) throws IOException {
    Path target = resolve(key);
    if (!Files.isRegularFile(target)) {
      // Nothing to delete: answer without locking, which would create the directory.
      check(key, current(key, target), condition);
      return;
    }
    refuseLinkOutside(key, target.getParent());
    KeyLock lock = lock(key);
    try {
      check(key, current(key, target), condition);
      if (!Files.isDirectory(target)) {
        // Data first: a kill in between leaves a sidecar without data, which describes nothing.
        Files.deleteIfExists(target);
        Files.deleteIfExists(sidecar(target));
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
      try (Opened opened = open(keyOf(file), file)) {
        if (opened != null) {
          result.add(opened.info());
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
            + " starting with '" + RESERVED_PREFIX + "' are reserved for the store's temporary,"
            + " metadata and lock files. Choose another name.");
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

  /** The object at {@code target} as it is now (closed), or null when there is none. */
  private Opened current(String key, Path target) throws IOException {
    Opened opened = open(key, target);
    if (opened != null) {
      opened.close();
    }
    return opened;
  }

  private static void check(String key, Opened current, Condition condition)
      throws PreconditionFailedException {
    boolean holds = switch (condition.type()) {
      case NONE -> true;
      case IF_ABSENT -> current == null;
      case IF_MATCH -> current != null && current.info().version().equals(condition.version());
    };
    if (!holds) {
      throw new PreconditionFailedException(key, condition);
    }
  }

  /**
   * What a data file and its sidecar describe as one object, with the data file open, or
   * {@code null} when there is no object (also for a directory). Fails for a file that is not a
   * regular file (a FIFO would block the open forever).
   */
  private Opened open(String key, Path file) throws IOException {
    for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      Identity before = identity(key, file);
      if (before == null) {
        return null;
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException | NotDirectoryException e) {
        continue;
      }
      try {
        Map<Identity, Record> records = readSidecar(key, file);
        if (before.equals(identity(key, file))) {
          Record record = records.get(before);
          if (record != null) {
            return new Opened(channel, record, 0);
          }
          // An earlier lea's write (header and bytes) is an object of its own, also after this
          // store wrote the key: both versions may share a bucket for a while.
          Opened legacy = legacy(key, channel, before);
          if (legacy != null) {
            return legacy;
          }
          if (!records.isEmpty()) {
            return changedBehindTheStore(channel, before, List.copyOf(records.values()));
          }
          return plain(key, channel, before);
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      channel.close();
    }
    throw new IOException("Cannot read " + key + " in " + describe() + ": it was replaced "
        + READ_ATTEMPTS + " times while being opened. Try again when the writers are done.");
  }

  /** The data file's identity, or null when there is no data file. */
  private Identity identity(String key, Path file) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return null;
    }
    if (attrs.isDirectory()) {
      return null;
    }
    if (!attrs.isRegularFile()) {
      throw LeaException.user("Cannot read " + key + " in " + describe() + ": " + file
          + " is not a regular file (a FIFO, socket or device), and opening it could block"
          + " forever. Objects of a file: bucket are regular files; remove it or use another"
          + " key.");
    }
    return Identity.of(attrs);
  }

  /** A data file, its record and where its bytes start; closing it closes the file. */
  private record Opened(FileChannel channel, Record record, long contentOffset)
      implements AutoCloseable {
    ObjectInfo info() {
      return record.info();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** What a sidecar says of one data file. */
  private record Record(Identity file, ObjectInfo info) {}

  /**
   * Which data file a record describes: a new file has a new file key (inode) or, where the file
   * system has none, a new size or modification time.
   */
  private record Identity(String fileKey, long size, long modifiedNanos) {
    static Identity of(BasicFileAttributes attrs) {
      return new Identity(String.valueOf(attrs.fileKey()), attrs.size(),
          attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    static Identity of(Path file) throws IOException {
      return of(Files.readAttributes(file, BasicFileAttributes.class));
    }

    String text() {
      return fileKey + "|" + size + "|" + modifiedNanos;
    }
  }

  private static Path sidecar(Path target) {
    return target.resolveSibling(META_PREFIX + target.getFileName() + META_SUFFIX);
  }

  /** The sidecar's records by the identity of the data file each describes. */
  private Map<Identity, Record> readSidecar(String key, Path target) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(sidecar(target));
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    Map<Identity, Record> records = new LinkedHashMap<>();
    try {
      for (JsonNode node : JSON.readTree(bytes).path("objects")) {
        String[] file = node.path("file").asText().split("\\|");
        Identity identity = new Identity(
            String.join("|", Arrays.copyOf(file, file.length - 2)),
            Long.parseLong(file[file.length - 2]), Long.parseLong(file[file.length - 1]));
        Map<String, String> metadata = new TreeMap<>();
        node.path("metadata").properties()
            .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        ObjectInfo info = new ObjectInfo(key, identity.size(), node.get("version").asText(),
            Instant.parse(node.get("written").asText()), metadata,
            node.hasNonNull("crc32c") ? node.get("crc32c").asText() : null);
        records.put(identity, new Record(identity, info));
      }
    } catch (IOException | RuntimeException e) {
      throw corrupt(key, "its metadata file " + sidecar(target).getFileName() + " is damaged");
    }
    return records;
  }

  /**
   * Writes a sidecar with the current object's record and the new one into a temporary file,
   * durably, and answers it; renamed into place before the data is, a kill between the two
   * renames leaves the old data with its record still there.
   */
  private Path stageSidecar(String key, Path target, Record current, Record next)
      throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("note", "What lea's file store knows of " + target.getFileName() + ". If you"
        + " replaced that file on purpose, delete this file to have lea take it as it is.");
    ArrayNode objects = json.putArray("objects");
    for (Record record : current == null ? List.of(next) : List.of(current, next)) {
      ObjectNode node = objects.addObject();
      node.put("file", record.file().text());
      node.put("version", record.info().version());
      node.put("written", record.info().lastModified().toString());
      node.put("crc32c", record.info().crc32c());
      ObjectNode meta = node.putObject("metadata");
      record.info().metadata().forEach(meta::put);
    }
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    if (bytes.length > MAX_HEADER) {
      throw new IOException("Cannot write " + key + " to " + describe() + ": its metadata has "
          + bytes.length + " bytes, and the file store keeps at most " + MAX_HEADER + ".");
    }
    Path temp = target.resolveSibling(tempName());
    boolean written = false;
    try {
      try (FileChannel out = FileChannel.open(temp,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(false))) {
        writeFully(out, ByteBuffer.wrap(bytes));
        out.force(true);
      }
      written = true;
      return temp;
    } finally {
      if (!written) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * A data file changed in place since the store last wrote it (by hand, or by corruption that
   * touched its time): it keeps the newest record's metadata and CRC32C, so a reader that verifies
   * them refuses bytes that no longer match, under a version of its own, so a conditional write
   * against the version the store wrote fails. Deleting the sidecar accepts the file as it is.
   */
  private static Opened changedBehindTheStore(FileChannel channel, Identity identity,
      List<Record> records) {
    ObjectInfo newest = records.get(records.size() - 1).info();
    ObjectInfo info = new ObjectInfo(newest.key(), identity.size(),
        "changed-" + LocalFiles.sha256OfText(identity.text()).substring(0, 32),
        Instant.EPOCH.plusNanos(identity.modifiedNanos()), newest.metadata(), newest.crc32c());
    return new Opened(channel, new Record(identity, info), 0);
  }

  /** A data file no sidecar knows, such as one copied in by hand: an object without metadata. */
  private static Opened plain(String key, FileChannel channel, Identity identity) {
    String version = "plain-" + LocalFiles.sha256OfText(identity.text()).substring(0, 32);
    Instant modified = Instant.EPOCH.plusNanos(identity.modifiedNanos());
    return new Opened(channel, new Record(identity,
        new ObjectInfo(key, identity.size(), version, modified, Map.of())), 0);
  }

  /** A file an earlier version of this store wrote (header, then bytes), or null. */
  private Opened legacy(String key, FileChannel channel, Identity identity) throws IOException {
    long fileSize = channel.size();
    ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + Integer.BYTES);
    readFully(channel, prefix, 0);
    byte[] magic = Arrays.copyOf(prefix.array(), MAGIC.length);
    if (prefix.position() < prefix.capacity() || !Arrays.equals(magic, MAGIC)) {
      return null;
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
    return new Opened(channel, new Record(identity, info), offset);
  }

  private IOException corrupt(String key, String reason) {
    return new IOException("Cannot read " + key + " in " + describe() + ": " + reason
        + ". The file was not written by lea's file store or is damaged; restore or delete it.");
  }

  private static Map<String, String> normalise(Map<String, String> metadata) {
    Map<String, String> result = new TreeMap<>();
    if (metadata != null) {
      metadata.forEach((k, v) -> result.put(k.toLowerCase(Locale.ROOT), v));
    }
    return result;
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

  /** {@code .lea-tmp-<host>-<pid>-<random>}: whose it is, for {@link #sweepOnce(Path)}. */
  private static String tempName() {
    return TEMP_PREFIX + Writer.HOST + "-" + Writer.PID + "-" + UUID.randomUUID();
  }

  /** This process, as named in its temporary files. */
  private static final class Writer {
    static final String HOST = LocalFiles.sha256OfText(hostName()).substring(0, 12);
    static final long PID = ProcessHandle.current().pid();

    private static String hostName() {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "unknown-host";
      }
    }
  }

  /**
   * Removes the temporary files in {@code directory} that a killed writer left, once per
   * directory and store: those of this host whose process is gone (or whose process id now
   * belongs to a process started after the file was last written), and those of other hosts
   * untouched for {@link #FOREIGN_TEMP_AGE}. Best effort: a file that cannot be removed stays.
   */
  private void sweepOnce(Path directory) {
    if (!swept.add(directory)) {
      return;
    }
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, TEMP_PREFIX + "*")) {
      for (Path temp : temps) {
        if (ownerIsGone(temp)) {
          Files.deleteIfExists(temp);
        }
      }
    } catch (IOException e) {
      // Leftovers cost only disk space; the write itself does not depend on removing them.
    }
  }

  private static boolean ownerIsGone(Path temp) throws IOException {
    String[] parts = temp.getFileName().toString().substring(TEMP_PREFIX.length()).split("-", 3);
    Instant modified = Files.getLastModifiedTime(temp).toInstant();
    boolean old = modified.isBefore(Instant.now().minus(FOREIGN_TEMP_AGE));
    if (parts.length < 3 || !parts[0].equals(Writer.HOST)) {
      return old;
    }
    long pid;
    try {
      pid = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return old;
    }
    if (pid == Writer.PID) {
      return false;
    }
    Optional<ProcessHandle> owner = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (owner.isEmpty()) {
      return true;
    }
    Optional<Instant> started = owner.get().info().startInstant();
    return started.isPresent() && started.get().isAfter(modified);
  }

  /** Held while an operation checks and swaps one key. */
  private interface KeyLock {
    void close() throws IOException;
  }

  private KeyLock lock(String key) throws IOException {
    Path directory = root.resolve(LOCK_DIRECTORY);
    createDirectories(directory);
    Path file = directory.toRealPath().resolve(LocalFiles.sha256OfText(key));
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IOException("Cannot lock " + key + " in " + describe() + ": its lock file " + file
          + " is not a regular file, and opening it could block forever. Remove it.");
    }
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
}
