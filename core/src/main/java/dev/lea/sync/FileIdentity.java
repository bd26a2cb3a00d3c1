package dev.lea.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Which file a path holds and whether it was written since: the file system's key (device and
 * inode where it has them), size and modification time. A rename keeps all three, and DuckDB
 * leaves a database it did not change untouched, so an unchanged catalog is recognised without
 * reading it.
 */
record FileIdentity(String fileKey, long size, long modifiedNanos) {

  static FileIdentity of(Path file) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    Object key = attributes.fileKey();
    return new FileIdentity(key == null ? null : key.toString(), attributes.size(),
        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
  }

  /** False when the file system has no file keys: then size and time alone prove too little. */
  boolean comparable() {
    return fileKey != null;
  }

  /** True when {@code file} is still this file, unwritten; false when it differs or is gone. */
  boolean matches(Path file) {
    try {
      return comparable() && equals(of(file));
    } catch (IOException e) {
      return false;
    }
  }
}
