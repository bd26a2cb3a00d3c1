package dev.lea.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/** A task on a daemon thread of its own, for I/O that overlaps the caller's. */
public final class Background {

  private Background() {}

  /** Starts {@code task} on a new daemon thread named {@code name}. */
  public static <T> FutureTask<T> start(String name, Callable<T> task) {
    FutureTask<T> future = new FutureTask<>(task);
    Thread thread = new Thread(future, name);
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  /** The task's result, waiting for it also when interrupted; see {@link #await(Future, Runnable)}. */
  public static <T> T await(Future<T> task) throws IOException {
    return await(task, () -> { });
  }

  /**
   * The task's result, waiting for it also when interrupted (the flag is kept, and each interrupt
   * is passed to {@code onInterrupt}, e.g. to interrupt the task's thread): the task works on files
   * or holds resources its caller closes once this returns. Its failure is rethrown as it was.
   */
  public static <T> T await(Future<T> task, Runnable onInterrupt) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
          onInterrupt.run();
        } catch (ExecutionException e) {
          throw failure(e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * What a task threw, to be thrown by whoever waited for it: an {@link IOException} as it was,
   * unchecked ones thrown from here as they were, anything else wrapped.
   */
  public static IOException failure(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof InterruptedException) {
      return new InterruptedIOException("Interrupted in a background task");
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException(cause);
  }
}
