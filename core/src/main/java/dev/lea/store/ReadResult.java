package dev.lea.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

/**
 * The answer to a read: the object with its content, that it does not exist, or that it still has
 * the version the caller already holds. The content is read either as a stream or as a channel
 * (a file store's channel lets the copy skip the heap); use one of the two. Close it to release
 * the content.
 */
public final class ReadResult implements AutoCloseable {

  /** Which of the three answers this is. */
  public enum Status {
    FOUND,
    NOT_FOUND,
    NOT_MODIFIED
  }

  private static final int BUFFER = 64 * 1024;
  private static final ReadResult NOT_FOUND = new ReadResult(Status.NOT_FOUND, null, null, null);

  private final Status status;
  private final ObjectInfo info;
  private InputStream content;
  private ReadableByteChannel channel;

  private ReadResult(Status status, ObjectInfo info, InputStream content,
      ReadableByteChannel channel) {
    this.status = status;
    this.info = info;
    this.content = content;
    this.channel = channel;
  }

  public static ReadResult found(ObjectInfo info, InputStream content) {
    return new ReadResult(Status.FOUND, info, content, null);
  }

  public static ReadResult found(ObjectInfo info, ReadableByteChannel content) {
    return new ReadResult(Status.FOUND, info, null, content);
  }

  public static ReadResult notFound() {
    return NOT_FOUND;
  }

  public static ReadResult notModified(ObjectInfo info) {
    return new ReadResult(Status.NOT_MODIFIED, info, null, null);
  }

  public Status status() {
    return status;
  }

  /** The object's info when found or not modified; {@code null} when not found. */
  public ObjectInfo info() {
    return info;
  }

  /** The content as a stream; only when {@link Status#FOUND}. */
  public synchronized InputStream content() {
    requireFound();
    if (content == null) {
      content = new BufferedInputStream(Channels.newInputStream(channel), BUFFER);
    }
    return content;
  }

  /** The content as a channel; only when {@link Status#FOUND}. */
  public synchronized ReadableByteChannel channel() {
    requireFound();
    if (channel == null) {
      channel = Channels.newChannel(content);
    }
    return channel;
  }

  private void requireFound() {
    if (status != Status.FOUND) {
      throw new IllegalStateException("No content: the object is " + status);
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (content != null) {
        content.close();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
