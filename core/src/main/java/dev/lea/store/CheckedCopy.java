package dev.lea.store;

import dev.lea.internal.Background;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A file copied by the kernel with its checksums computed on the same pass: the bytes go from
 * file to file through the page cache ({@code sendfile}/{@code copy_file_range}) without entering
 * the JVM, and each copied range is read back from the target, still in the page cache, into the
 * checksums, so what is checksummed is what the target holds. For a large file a second thread
 * does the reading back while the copy goes on: on two cores the wall time is about the larger of
 * the copy and the checksum instead of their sum.
 */
final class CheckedCopy {

  /**
   * Bytes per kernel copy, and so the step of progress reports: the checksum thread trails the
   * copy by about this much, which is all it adds after the last byte is copied. Larger chunks
   * save only a system call and a hand-over per MiB.
   */
  private static final int CHUNK = 1 << 20;
  /** Small enough to stay in the L2 cache between the read and the checksum. */
  private static final int READ_BUFFER = 256 << 10;
  private static final long END = -1;
  /**
   * Up to this size one thread copies and checksums in turn: handing ranges to a second thread
   * costs a thread start and a wake-up per range, which on a busy machine can wait for a time
   * slice, more than checksumming a few MiB takes.
   */
  private static final long ONE_THREAD = 16 << 20;

  private CheckedCopy() {}

  /**
   * Appends the bytes of {@code in} from {@code position} to its end to {@code out}, which must be
   * open for reading and writing, and answers how many were copied.
   *
   * @param checksum given every copied byte once, in order, read back from {@code out}; it may
   *     move the buffer's position and must not keep the buffer
   * @param copied told each number of bytes as it lands, for progress
   */
  static long transfer(FileChannel in, long position, FileChannel out,
      Consumer<ByteBuffer> checksum, LongConsumer copied) throws IOException {
    ReadBack readBack = new ReadBack(out, checksum);
    if (in.size() - position <= ONE_THREAD) {
      long total = 0;
      for (long n = in.transferTo(position, CHUNK, out); n > 0;
          n = in.transferTo(position + total, CHUNK, out)) {
        total += n;
        copied.accept(n);
        readBack.upTo(total);
      }
      return total;
    }
    BlockingQueue<Long> landed = new LinkedBlockingQueue<>();
    FutureTask<Void> checker = Background.start("lea-checksum", () -> {
      for (long mark = landed.take(); mark != END; mark = landed.take()) {
        readBack.upTo(mark);
      }
      return null;
    });
    long total = 0;
    try {
      // A checker that stopped early failed: copying on would only delay its error.
      for (long n = in.transferTo(position, CHUNK, out); n > 0 && !checker.isDone();
          n = in.transferTo(position + total, CHUNK, out)) {
        total += n;
        copied.accept(n);
        landed.add(total);
      }
    } catch (IOException | RuntimeException e) {
      // The checker must be done with the target before its owner closes it.
      landed.add(END);
      try {
        Background.await(checker);
      } catch (IOException | RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    landed.add(END);
    Background.await(checker);
    return total;
  }

  /** Reads the copy back from where it started, range by range, into the checksum. */
  private static final class ReadBack {
    private final FileChannel out;
    private final long start;
    private final Consumer<ByteBuffer> checksum;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private long done;

    ReadBack(FileChannel out, Consumer<ByteBuffer> checksum) throws IOException {
      this.out = out;
      this.start = out.position();
      this.checksum = checksum;
    }

    void upTo(long mark) throws IOException {
      while (done < mark) {
        buffer.clear().limit((int) Math.min(READ_BUFFER, mark - done));
        int n = out.read(buffer, start + done);
        if (n < 0) {
          throw new EOFException("Cannot checksum a copy: it was cut to " + done + " bytes"
              + " while being written, so another process is writing the same file. Try again"
              + " once it is done.");
        }
        buffer.flip();
        checksum.accept(buffer);
        done += n;
      }
    }
  }
}
