package dev.lea.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lea.internal.LocalFiles;
import dev.lea.spi.LeaException;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The lock objects of the {@code lock-file} strategy: where they live, how they are read, written
 * and broken.
 *
 * <p>The lock of catalog {@code lake/c.sqlite} is {@code lake/.lea/locks/c.sqlite.lock}. No catalog
 * may live in a {@code .lea/locks} folder (every strategy refuses one), so a lock key never names a
 * catalog. Versions before this layout kept the lock at {@code <catalog key>.lock}; that key is
 * never read, written or deleted now, since it may be a catalog of that name.
 *
 * <p>A lock object whose body cannot be read (empty, not JSON, missing fields, larger than 64 KiB,
 * an id with control characters) is reported as held by an unknown holder: its
 * {@link LockInfo#who()} says what is wrong, it never expires, and its {@link LockInfo#id()} is
 * {@code unreadable-} followed by a hash of the object's version. lea did not write such an object,
 * so {@link #breakLock} refuses to delete it: a person has to look at it.
 */
final class LockFiles {

  static final String UNREADABLE_PREFIX = "unreadable-";
  /** The folder, beside a catalog, that holds lock objects; reserved for them. */
  static final String LOCK_FOLDER = ".lea/locks";
  private static final int MAX_BODY = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BREAK_ATTEMPTS = 5;
  static final String MANUAL = "Check what the object is and, if no run is using this catalog,"
      + " delete it with the store's own tools.";

  private LockFiles() {}

  /** The key of the lock object that guards {@code catalogKey}. */
  static String lockKey(String catalogKey) {
    int slash = catalogKey.lastIndexOf('/');
    return catalogKey.substring(0, slash + 1) + LOCK_FOLDER + "/"
        + catalogKey.substring(slash + 1) + ".lock";
  }

  /**
   * Refuses a catalog inside a lock folder: it could be taken for the lock of another catalog, and
   * breaking that lock would delete it. The store's own location counts too, since the bucket of a
   * {@code file:} catalog is its folder.
   */
  static void refuseReserved(ObjectStore store, String catalogKey) {
    String where = where(store, catalogKey);
    String folder = where.substring(0, where.lastIndexOf('/'));
    if (folder.equals(LOCK_FOLDER) || folder.endsWith("/" + LOCK_FOLDER)) {
      throw LeaException.user("Cannot use catalog " + where + ": the folder '" + LOCK_FOLDER
          + "' is reserved for lea's lock objects, so a catalog there could be taken for the lock"
          + " of another catalog. Move the catalog to another folder.");
    }
  }

  /** The current lock of a catalog, or empty when there is none. */
  static Optional<LockInfo> inspect(ObjectStore store, String catalogKey)
      throws IOException {
    return read(store, lockKey(catalogKey));
  }

  /**
   * Deletes the lock of a catalog when its id is {@code id}, whatever its expiry; for a holder
   * that died or hangs.
   *
   * @return the lock that was removed
   * @throws LeaException a user error when there is no lock or it has another id (the message
   *     names the actual holder)
   */
  static LockInfo breakLock(ObjectStore store, String catalogKey, String id)
      throws IOException {
    String key = lockKey(catalogKey);
    String where = where(store, key);
    for (int attempt = 0; attempt < BREAK_ATTEMPTS; attempt++) {
      Optional<LockInfo> found = read(store, key);
      if (found.isEmpty()) {
        throw LeaException.user("Cannot break the lock on " + where + ": there is no lock, so"
            + " nothing needs to be done.");
      }
      LockInfo lock = found.get();
      if (lock.isUnreadable()) {
        throw LeaException.user("Cannot break the lock on " + where + ": it is not a lock lea"
            + " wrote (" + problem(lock) + "), so lea will not delete it. " + MANUAL);
      }
      if (!lock.id().equals(id)) {
        throw LeaException.user("Cannot break the lock on " + where + ": it has id '" + lock.id()
            + "', not '" + id + "'. It is held by " + describe(lock) + ". If that run is dead,"
            + " run: " + lock.unlockCommand());
      }
      try {
        if (store.supports(Capability.CONDITIONAL_DELETE)) {
          store.delete(key, Condition.ifMatch(lock.objectVersion()));
        } else {
          store.delete(key, Condition.none());
        }
        return lock;
      } catch (PreconditionFailedException e) {
        // The holder renewed or released it meanwhile; look again.
      }
    }
    throw LeaException.run("Cannot break the lock on " + where + ": it changed " + BREAK_ATTEMPTS
        + " times while it was being removed. Run the command again.", null);
  }

  static Optional<LockInfo> read(ObjectStore store, String key) throws IOException {
    try (ReadResult result = store.read(key, null)) {
      if (result.status() != ReadResult.Status.FOUND) {
        return Optional.empty();
      }
      byte[] body = result.content().readNBytes(MAX_BODY + 1);
      return Optional.of(parse(body, result.info().version(), result.info().lastModified()));
    }
  }

  static LockInfo parse(byte[] body, String objectVersion, Instant lastModified) {
    if (body.length == 0) {
      return unreadable("the lock object is empty", objectVersion, lastModified);
    }
    if (body.length > MAX_BODY) {
      return unreadable("the lock object is larger than 64 KiB", objectVersion, lastModified);
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return unreadable("the lock object is not JSON", objectVersion, lastModified);
    }
    if (json == null || !json.isObject()) {
      return unreadable("the lock object is not a JSON object", objectVersion, lastModified);
    }
    String id = json.path("id").asText("");
    if (id.isBlank()) {
      return unreadable("the lock object has no id", objectVersion, lastModified);
    }
    if (id.codePoints().anyMatch(LockFiles::isControl)) {
      return unreadable("the lock object's id contains control characters", objectVersion,
          lastModified);
    }
    try {
      return new LockInfo(id,
          printable(json.path("who").asText("unknown")),
          json.path("pid").asLong(-1),
          printable(json.path("operation").asText("unknown")),
          Instant.parse(json.path("created").asText("")),
          Instant.parse(json.path("expires").asText("")),
          printable(json.path("version").asText("unknown")),
          objectVersion);
    } catch (DateTimeParseException e) {
      return unreadable("the lock object has no valid created and expires times", objectVersion,
          lastModified);
    }
  }

  private static LockInfo unreadable(String problem, String objectVersion, Instant lastModified) {
    String id = UNREADABLE_PREFIX + LocalFiles.sha256OfText(objectVersion).substring(0, 12);
    Instant since = lastModified == null ? Instant.EPOCH : lastModified;
    return new LockInfo(id, "unknown (" + problem + ")", -1, "unknown", since, Instant.MAX,
        "unknown", objectVersion);
  }

  private static boolean isControl(int codePoint) {
    return Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.FORMAT;
  }

  /** A field of a body lea may not have written, made safe to print on one line of a log. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(isControl(c) ? '?' : c));
    return out.toString();
  }

  static ByteArrayInputStream body(LockInfo lock) {
    ObjectNode json = JSON.createObjectNode();
    json.put("id", lock.id());
    json.put("who", lock.who());
    json.put("pid", lock.pid());
    json.put("operation", lock.operation());
    json.put("created", lock.created().toString());
    json.put("expires", lock.expires().toString());
    json.put("version", lock.version());
    try {
      return new ByteArrayInputStream(JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new IllegalStateException("A JSON object of strings always serialises", e);
    }
  }

  /** Writes a lock body; answers the lock with the store's version of the new object. */
  static LockInfo write(ObjectStore store, String key, LockInfo lock, Condition condition)
      throws IOException {
    ByteArrayInputStream body = body(lock);
    String version = store.put(key, body, body.available(), Map.of(), condition).version();
    return new LockInfo(lock.id(), lock.who(), lock.pid(), lock.operation(), lock.created(),
        lock.expires(), lock.version(), version);
  }

  /** What is wrong with an unreadable lock object. */
  static String problem(LockInfo lock) {
    return lock.who().substring("unknown (".length(), lock.who().length() - 1);
  }

  /** The holder, for messages. */
  static String describe(LockInfo lock) {
    if (lock.isUnreadable()) {
      return "an unknown holder: " + problem(lock) + " (written " + lock.created() + ")";
    }
    return lock.who() + " (pid " + lock.pid() + ", operation " + lock.operation() + ", since "
        + lock.created() + ", expires " + lock.expires() + ", id " + lock.id() + ")";
  }

  static String where(ObjectStore store, String key) {
    return store.describe() + "/" + key;
  }
}
