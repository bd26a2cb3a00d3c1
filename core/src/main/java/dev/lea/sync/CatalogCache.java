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
  record Entry(String url, String version, String sha256, long size) {}

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
          || entry.sha256() == null || Files.size(file()) != entry.size()) {
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
   * Copies the cached catalog to {@code target}, verifying its SHA-256 on the way. False (and the
   * entry discarded, {@code target} untouched) when it does not match.
   */
  boolean restore(Entry entry, Path target) throws IOException {
    Path temp = LocalFiles.createPrivateTempSibling(target);
    try {
      String sha;
      try (var in = Files.newInputStream(file()); var out = Files.newOutputStream(temp)) {
        sha = LocalFiles.copyWithSha256(in, out);
      }
      if (!sha.equals(entry.sha256())) {
        discard();
        return false;
      }
      LocalFiles.moveAtomically(temp, target);
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Records {@code catalog} as the remote's content at {@code version}. Best effort. */
  void store(Path catalog, String version, String sha256) {
    try {
      LocalFiles.createPrivateDirectories(directory.getParent().getParent());
      LocalFiles.createPrivateDirectories(directory.getParent());
      LocalFiles.createPrivateDirectories(directory);
      Files.deleteIfExists(entryFile());
      LocalFiles.copyAtomically(catalog, file());
      Entry entry = new Entry(location.toString(), version, sha256, Files.size(file()));
      LocalFiles.writeAtomically(
          new java.io.ByteArrayInputStream(JSON.writeValueAsBytes(entry)), entryFile());
    } catch (IOException e) {
      discard();
    }
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
