package dev.lea.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.store.LocalFiles;
import dev.lea.store.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The last downloaded (or uploaded) catalog of one URL, with the remote version it had. A
 * conditional read that answers "not modified" reuses it. Every entry is verified by its SHA-256
 * when used, so a corrupt or partial entry is detected and discarded.
 */
final class CatalogCache {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the cache holds for a URL. */
  record Entry(String url, String version, String sha256, long size, String crc32c) {}

  private final Path directory;
  private final Location location;

  private CatalogCache(Path directory, Location location) {
    this.directory = directory;
    this.location = location;
  }

  static CatalogCache of(Path root, Location location) {
    String id = HexFormat.of().formatHex(LocalFiles.sha256()
        .digest(location.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 24);
    return new CatalogCache(root.resolve("catalogs").resolve(id), location);
  }

  Path file() {
    return directory.resolve("catalog");
  }

  private Path entryFile() {
    return directory.resolve("entry.json");
  }

  /** The entry, if one exists and its file has the recorded size. */
  Optional<Entry> lookup() {
    try {
      if (!Files.isRegularFile(entryFile()) || !Files.isRegularFile(file())) {
        return Optional.empty();
      }
      Entry entry = JSON.readValue(entryFile().toFile(), Entry.class);
      if (!location.toString().equals(entry.url()) || entry.version() == null
          || entry.sha256() == null || entry.crc32c() == null
          || Files.size(file()) != entry.size()) {
        discard();
        return Optional.empty();
      }
      return Optional.of(entry);
    } catch (IOException e) {
      discard();
      return Optional.empty();
    }
  }

  /**
   * Copies the cached catalog to {@code target}, verifying its CRC32C on the way: a checksum the
   * CPU computes at memory speed catches torn and bit-flipped entries, while the SHA-256 recorded
   * with the entry was verified when the catalog was downloaded or uploaded. False (and the entry
   * discarded, {@code target} untouched) when it does not match.
   */
  boolean restore(Entry entry, Path target) throws IOException {
    Path temp = LocalFiles.createPrivateTempSibling(target);
    try {
      String crc = copyWithCrc32c(file(), temp);
      if (!crc.equals(entry.crc32c())) {
        discard();
        return false;
      }
      LocalFiles.moveAtomically(temp, target);
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * True when the cache holds exactly {@code catalog}'s bytes as the remote's {@code version}: an
   * unchanged catalog is recognised by comparing bytes, which is several times cheaper than
   * hashing it again.
   */
  boolean holdsUnchanged(String version, Path catalog) {
    Optional<Entry> entry = lookup();
    try {
      return entry.isPresent() && entry.get().version().equals(version)
          && Files.mismatch(file(), catalog) == -1L;
    } catch (IOException e) {
      return false;
    }
  }

  /** Records {@code catalog} as the remote's content at {@code version}. Best effort. */
  void store(Path catalog, String version, String sha256) {
    try {
      LocalFiles.createPrivateDirectories(directory.getParent().getParent());
      LocalFiles.createPrivateDirectories(directory.getParent());
      LocalFiles.createPrivateDirectories(directory);
      Files.deleteIfExists(entryFile());
      Path temp = LocalFiles.createPrivateTempSibling(file());
      try {
        String crc = copyWithCrc32c(catalog, temp);
        LocalFiles.moveAtomically(temp, file());
        Entry entry = new Entry(location.toString(), version, sha256, Files.size(file()), crc);
        LocalFiles.writeAtomically(
            new java.io.ByteArrayInputStream(JSON.writeValueAsBytes(entry)), entryFile());
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      discard();
    }
  }

  private static String copyWithCrc32c(Path from, Path to) throws IOException {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    byte[] buffer = new byte[1 << 20];
    try (var in = Files.newInputStream(from); var out = Files.newOutputStream(to)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return Long.toHexString(crc.getValue());
  }

  void discard() {
    try {
      Files.deleteIfExists(entryFile());
      Files.deleteIfExists(file());
    } catch (IOException ignored) {
      // A cache that cannot be cleaned is ignored by lookup (size or entry mismatch).
    }
  }
}
