package dev.lea.store;

import dev.lea.internal.LocalFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.function.Consumer;

/**
 * The answer to a read: the object with its content, that it does not exist, or that it still has
 * the version the caller already holds. The content is read either as a stream or as a channel
 * (a file store's channel lets the copy skip the heap), or written to a file with {@link
 * #transferTo}; use one of the three. Close it to release the content.
 */
public final class ReadResult implements AutoCloseable {

  /** Which of the three answers this is. */
  public enum Status {
    FOUND,
    NOT_FOUND,
    NOT_MODIFIED
  }

  private static final int BUFFER = 64 * 1024;
  private static final ReadResult NOT_FOUND =
      new ReadResult(Status.NOT_FOUND, null, null, null, null);

  private final Status status;
  private final ObjectInfo info;
  private final FileChannel file;
  private InputStream content;
  private ReadableByteChannel channel;

  private ReadResult(Status status, ObjectInfo info, InputStream content,
      ReadableByteChannel channel, FileChannel file) {
    this.status = status;
    this.info = info;
    this.content = content;
    this.channel = channel;
    this.file = file;
  }

  public static ReadResult found(ObjectInfo info, InputStream content) {
    return new ReadResult(Status.FOUND, info, content, null, null);
  }

  public static ReadResult found(ObjectInfo info, ReadableByteChannel content) {
    return new ReadResult(Status.FOUND, info, null, content, null);
  }

  /**
   * Content that is a local file from its position to its end, which {@link #transferTo} copies
   * in the kernel.
   */
  public static ReadResult found(ObjectInfo info, FileChannel content) {
    return new ReadResult(Status.FOUND, info, null, content, content);
  }

  public static ReadResult notFound() {
    return NOT_FOUND;
  }

  public static ReadResult notModified(ObjectInfo info) {
    return new ReadResult(Status.NOT_MODIFIED, info, null, null, null);
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

  /**
   * Writes the content to {@code target} (open for reading and writing) at its position and
   * answers how many bytes were written; {@code checksum} is given each of them once, in order.
   * Content in a local file is copied by the kernel and read back from the copy for the
   * checksum; other content goes through one direct buffer.
   */
  public synchronized long transferTo(FileChannel target, Consumer<ByteBuffer> checksum)
      throws IOException {
    requireFound();
    if (file != null) {
      return CheckedCopy.transfer(file, file.position(), target, checksum, copied -> { });
    }
    return LocalFiles.copy(channel(), target, checksum);
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
