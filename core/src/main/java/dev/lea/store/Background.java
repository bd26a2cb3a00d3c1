package dev.lea.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** A task on a daemon thread of its own, for I/O that overlaps the caller's. */
final class Background {

  private Background() {}

  /** Starts {@code task} on a new daemon thread named {@code name}. */
  static <T> FutureTask<T> start(String name, Callable<T> task) {
    FutureTask<T> future = new FutureTask<>(task);
    Thread thread = new Thread(future, name);
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  /**
   * The task's result, waiting for it also when interrupted (the flag is kept): the task works on
   * files its caller deletes or closes once this returns. Its failure is rethrown as it was.
   */
  static <T> T await(FutureTask<T> task) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof InterruptedException) {
            throw new InterruptedIOException("Interrupted in a background task");
          }
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          if (cause instanceof Error error) {
            throw error;
          }
          throw new IOException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
