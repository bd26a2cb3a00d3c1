package dev.lea.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keys of one bucket (or one directory for {@code file:}). Every operation is streaming; nothing
 * buffers a whole object in memory. Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * User-metadata key of a write's unique id. A store whose client retries a conditional write
   * that may already have landed recognises its own object by it; a caller may set it, and such
   * a store fills it in when the caller did not.
   */
  String WRITE_ID = "lea-write-id";

  /** The bucket this store serves, as {@code scheme://bucket} (for messages). */
  String describe();

  /** What this store guarantees. */
  Set<Capability> capabilities();

  default boolean supports(Capability capability) {
    return capabilities().contains(capability);
  }

  /** The object's size, version and metadata, or empty when there is none. */
  Optional<ObjectInfo> head(String key) throws IOException;

  /**
   * Reads an object. When {@code ifNoneMatch} is a version and the object still has it, answers
   * {@link ReadResult.Status#NOT_MODIFIED} without content (where the store cannot do that
   * remotely it compares after a head).
   */
  ReadResult read(String key, String ifNoneMatch) throws IOException;

  /**
   * Writes an object from a stream, replacing any existing one when {@code condition} allows.
   * {@code length} is the exact byte count, or {@code -1} when unknown. The write is atomic:
   * readers see the old object or the new one, never a mix.
   *
   * @throws PreconditionFailedException when the condition does not hold; nothing was written
   */
  ObjectInfo put(
      String key, InputStream content, long length, Map<String, String> metadata, Condition condition)
      throws IOException;

  /** Writes a file's bytes; see {@link #put(String, InputStream, long, Map, Condition)}. */
  default ObjectInfo put(String key, Path file, Map<String, String> metadata, Condition condition)
      throws IOException {
    return put(key, file, metadata, condition, new LongAdder());
  }

  /**
   * Writes a file's bytes as {@link #put(String, Path, Map, Condition)} does, adding to
   * {@code sent} the bytes written or sent so far, for a progress line. This default streams the
   * file through {@link #put(String, InputStream, long, Map, Condition)} and adds them all once
   * written; a store that can read the file better (in the kernel, in parallel parts) or tell
   * progress as it goes overrides this one.
   */
  default ObjectInfo put(String key, Path file, Map<String, String> metadata, Condition condition,
      LongAdder sent) throws IOException {
    long size = Files.size(file);
    ObjectInfo written;
    try (InputStream in = Files.newInputStream(file)) {
      written = put(key, in, size, metadata, condition);
    }
    sent.add(size);
    return written;
  }

  /**
   * Deletes an object. {@link Condition#ifMatch(String)} deletes only that version. Deleting a
   * missing object with {@link Condition#none()} is not an error.
   *
   * @throws PreconditionFailedException when the condition does not hold; nothing was deleted
   */
  void delete(String key, Condition condition) throws IOException;

  /** The objects whose keys start with {@code prefix}, sorted by key. */
  List<ObjectInfo> list(String prefix) throws IOException;

  @Override
  void close() throws IOException;
}
