package dev.lea.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The answer to a read: the object with its content stream, that it does not exist, or that it
 * still has the version the caller already holds. Close it to release the stream.
 */
public final class ReadResult implements AutoCloseable {

  /** Which of the three answers this is. */
  public enum Status {
    FOUND,
    NOT_FOUND,
    NOT_MODIFIED
  }

  private static final ReadResult NOT_FOUND = new ReadResult(Status.NOT_FOUND, null, null);

  private final Status status;
  private final ObjectInfo info;
  private final InputStream content;

  private ReadResult(Status status, ObjectInfo info, InputStream content) {
    this.status = status;
    this.info = info;
    this.content = content;
  }

  public static ReadResult found(ObjectInfo info, InputStream content) {
    return new ReadResult(Status.FOUND, info, content);
  }

  public static ReadResult notFound() {
    return NOT_FOUND;
  }

  public static ReadResult notModified(ObjectInfo info) {
    return new ReadResult(Status.NOT_MODIFIED, info, null);
  }

  public Status status() {
    return status;
  }

  /** The object's info when found or not modified; {@code null} when not found. */
  public ObjectInfo info() {
    return info;
  }

  /** The content stream; only when {@link Status#FOUND}. */
  public InputStream content() {
    if (status != Status.FOUND) {
      throw new IllegalStateException("No content: the object is " + status);
    }
    return content;
  }

  @Override
  public void close() {
    if (content != null) {
      try {
        content.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
