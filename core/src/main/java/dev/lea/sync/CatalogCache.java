package dev.lea.sync;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.spi.Reporter;
import dev.lea.store.Location;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last catalog of one URL that this user downloaded or uploaded, with the remote version it
 * had. The file is never copied: a session moves it into its work directory and, when the catalog
 * it ends with is a version the remote holds, moves it back. The entry records the file's
 * identity, so an entry whose file was written since, or is missing, is invalid; a crash at any
 * point leaves the cache invalid, never wrong.
 *
 * <p>Another user who can write to the cache could make a run start from a catalog of their
 * choosing, so the cache directories and files must belong to this user and be writable by no
 * one else; otherwise the cache is not used, and a warning says why once per directory.
 */
final class CatalogCache {

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /**
   * What the cache holds for a URL: the remote version, what is known of its bytes (CRC32C,
   * SHA-256, either may be null), and the file's identity.
   */
  record Entry(String url, String version, String crc32c, String sha256, long size,
      String fileKey, long modifiedNanos) {

    FileIdentity identity() {
      return new FileIdentity(fileKey, size, modifiedNanos);
    }

    CatalogDigest digest() {
      return new CatalogDigest(crc32c, sha256);
    }
  }

  private final Path root;
  private final Path directory;
  private final Location location;
  private final Reporter reporter;

  private CatalogCache(Path root, Location location, Reporter reporter) {
    this.root = root;
    String id = HexFormat.of().formatHex(LocalFiles.sha256()
        .digest(location.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 24);
    this.directory = root.resolve("catalogs").resolve(id);
    this.location = location;
    this.reporter = reporter;
  }

  /** The cache of {@code location}, or empty when it is disabled or cannot be trusted. */
  static Optional<CatalogCache> open(LeaConfig config, Location location, Reporter reporter) {
    if (!config.flag(LeaSettings.CACHE_ENABLED) || config.path(LeaSettings.CACHE_DIR).isEmpty()) {
      return Optional.empty();
    }
    CatalogCache cache = of(config.path(LeaSettings.CACHE_DIR).get(), location, reporter);
    try {
      for (Path dir : new Path[] {cache.root, cache.directory.getParent(), cache.directory}) {
        LocalFiles.createPrivateDirectories(dir);
        String problem = untrusted(dir);
        if (problem != null) {
          cache.warnOnce("it is not safe: " + problem);
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      cache.warnOnce(e.toString());
      return Optional.empty();
    }
    return Optional.of(cache);
  }

  static CatalogCache of(Path root, Location location, Reporter reporter) {
    return new CatalogCache(root, location, reporter);
  }

  Path file() {
    return directory.resolve("catalog");
  }

  private Path entryFile() {
    return directory.resolve("entry.json");
  }

  /**
   * The entry when its file is still the one recorded. A file with another identity but the same
   * size is read once and kept when its digest is the recorded one; anything else is discarded.
   */
  Optional<Entry> lookup() {
    try {
      if (!Files.isRegularFile(entryFile(), LinkOption.NOFOLLOW_LINKS)
          || !Files.isRegularFile(file(), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      for (Path path : new Path[] {entryFile(), file()}) {
        String problem = untrusted(path);
        if (problem != null) {
          warnOnce("it is not safe: " + problem);
          return Optional.empty();
        }
      }
      Entry entry = JSON.readValue(entryFile().toFile(), Entry.class);
      if (!location.toString().equals(entry.url()) || entry.version() == null) {
        discard();
        return Optional.empty();
      }
      if (entry.identity().matches(file())) {
        return Optional.of(entry);
      }
      if (Files.size(file()) != entry.size() || !entry.digest().matches(file())) {
        discard();
        return Optional.empty();
      }
      Entry current = record(entry.version(), entry.digest());
      return Optional.of(current);
    } catch (IOException e) {
      discard();
      return Optional.empty();
    }
  }

  /**
   * Moves the cached file to {@code target} (a rename: no byte is copied). The entry stays: it
   * describes the file wherever it is, and is valid again only if the same file comes back.
   */
  boolean take(Path target) {
    try {
      Files.move(file(), target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      warnOnce("cannot move " + file() + " into the session: " + e);
      return false;
    }
  }

  /** Moves a file taken by {@link #take} back, unchanged, so its entry holds again. */
  void giveBack(Path taken) {
    try {
      Files.move(taken, file(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      warnOnce("cannot move the catalog back into the cache: " + e);
      discard();
    }
  }

  /**
   * Makes {@code catalog} the cached copy of the remote's {@code version}, by a move. The old
   * entry goes first, so a crash in between leaves no entry, and no entry means no cache.
   */
  void put(Path catalog, String version, CatalogDigest digest) {
    try {
      Files.deleteIfExists(entryFile());
      LocalFiles.moveAtomically(catalog, file());
      record(version, digest);
    } catch (IOException e) {
      warnOnce("cannot store the catalog in it: " + e);
      discard();
    }
  }

  private Entry record(String version, CatalogDigest digest) throws IOException {
    FileIdentity identity = FileIdentity.of(file());
    Entry entry = new Entry(location.toString(), version, digest.crc32c(), digest.sha256(),
        identity.size(), identity.fileKey(), identity.modifiedNanos());
    LocalFiles.writeAtomically(new ByteArrayInputStream(JSON.writeValueAsBytes(entry)),
        entryFile());
    return entry;
  }

  void discard() {
    try {
      Files.deleteIfExists(entryFile());
      Files.deleteIfExists(file());
    } catch (IOException ignored) {
      // Without its entry a file is never used; one that cannot be deleted is only in the way.
    }
  }

  /**
   * A cache that cannot be used costs a download each run, which nobody would notice without a
   * word; one warning per directory and process is enough.
   */
  private void warnOnce(String problem) {
    if (WARNED.add(root.toAbsolutePath().toString())) {
      reporter.warn("Not using the catalog cache " + root + ": " + problem + ". Runs still work,"
          + " downloading the catalog each time; make the directory yours and writable only by"
          + " you, or set " + LeaSettings.CACHE_DIR + " to another one (or "
          + LeaSettings.CACHE_ENABLED + "=false).");
    }
  }

  /** Why {@code path} cannot be trusted, or null when it belongs to this user alone. */
  static String untrusted(Path path) throws IOException {
    if (!POSIX) {
      return null;
    }
    PosixFileAttributes attributes =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      return path + " is a symbolic link";
    }
    UserPrincipal owner = attributes.owner();
    if (!owner.equals(currentUser())) {
      return path + " belongs to " + owner.getName();
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      return path + " is writable by other users";
    }
    return null;
  }

  private static UserPrincipal currentUser() throws IOException {
    return FileSystems.getDefault().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
  }
}
