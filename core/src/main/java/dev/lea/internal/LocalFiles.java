package dev.lea.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Local files that hold catalogs: created owner-only (0600 files, 0700 directories) from the
 * first byte, since catalogs and lock bodies can reveal table names, paths and users.
 */
public final class LocalFiles {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private static final int COPY_BUFFER = 1 << 20;

  private LocalFiles() {}

  /** Creates {@code dir} (and parents) if missing; a newly created leaf is owner-only. */
  public static Path createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      if (POSIX) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      } else {
        Files.createDirectory(dir);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
    return dir;
  }

  /** A new owner-only temporary directory, inside {@code parent} or the system default. */
  public static Path createPrivateTempDirectory(Path parent, String prefix) throws IOException {
    FileAttribute<?>[] attributes = POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
        : new FileAttribute<?>[0];
    if (parent == null) {
      return Files.createTempDirectory(prefix, attributes);
    }
    createPrivateDirectories(parent);
    return Files.createTempDirectory(parent, prefix, attributes);
  }

  /** A new, empty, owner-only file next to {@code sibling}, for writing and then moving into place. */
  public static Path createPrivateTempSibling(Path sibling) throws IOException {
    Path dir = sibling.toAbsolutePath().getParent();
    String name = "." + sibling.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8)
        + ".part";
    return createPrivateFile(dir.resolve(name));
  }

  /** Creates a new owner-only file; fails if it exists. */
  public static Path createPrivateFile(Path file) throws IOException {
    if (POSIX) {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    }
    return Files.createFile(file);
  }

  /** Makes an existing file owner-only (for files written by others, e.g. DuckDB). */
  public static void restrictToOwner(Path file) throws IOException {
    if (POSIX && Files.exists(file)) {
      Files.setPosixFilePermissions(file, Files.isDirectory(file) ? OWNER_DIR : OWNER_FILE);
    }
  }

  /**
   * Streams {@code in} into a temporary sibling of {@code target}, then moves it into place
   * atomically: {@code target} is either untouched or complete. Returns the SHA-256 (hex).
   */
  public static String writeAtomically(InputStream in, Path target) throws IOException {
    Path temp = createPrivateTempSibling(target);
    try {
      String sha;
      // WRITE only: truncating the new, empty file would make ext4 flush it on close.
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
        sha = copyWithSha256(in, out);
      }
      moveAtomically(temp, target);
      return sha;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Copies a file through a temporary sibling, returning the SHA-256 of the bytes copied. */
  public static String copyAtomically(Path source, Path target) throws IOException {
    try (InputStream in = Files.newInputStream(source)) {
      return writeAtomically(in, target);
    }
  }

  /** Moves with {@code ATOMIC_MOVE}, replacing the target. */
  public static void moveAtomically(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Copies {@code in} to {@code out} at its position through one direct buffer, giving {@code
   * checksum} each byte once, in order, and answers how many were copied: the bytes never pass
   * through heap arrays.
   */
  public static long copy(ReadableByteChannel in, FileChannel out, Consumer<ByteBuffer> checksum)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(COPY_BUFFER);
    long size = 0;
    while (in.read(buffer.clear()) >= 0) {
      buffer.flip();
      checksum.accept(buffer.duplicate());
      size += buffer.remaining();
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    }
    return size;
  }

  /** Copies {@code in} to {@code out} and returns the SHA-256 (hex) of what was copied. */
  public static String copyWithSha256(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = sha256();
    // A large buffer: catalogs are tens of MiB or more, and each read and write is a system call.
    byte[] buffer = new byte[COPY_BUFFER];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    out.flush();
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 (hex) of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return copyWithSha256(in, OutputStream.nullOutputStream());
    }
  }

  /** The SHA-256 (lower-case hex) of a text's UTF-8 bytes: names and ids derived from text. */
  public static String sha256OfText(CharSequence text) {
    return HexFormat.of().formatHex(sha256().digest(
        text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** A new SHA-256 digest; the one place it is created. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  /** Deletes a file or a directory tree; missing is fine. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (var children = Files.list(path)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          deleteRecursively(child);
        }
      }
    }
    Files.deleteIfExists(path);
  }
}
