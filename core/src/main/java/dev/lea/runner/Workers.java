package dev.lea.runner;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run the steps of a run side by side, each step on a DuckDB connection of its own
 * duplicated from the caller's, as lea runs its scripts on a thread pool with a cursor each
 * ({@code session.py}; {@code databases.py}, {@code DuckLakeClient.make_job_config}). Only the
 * thread that submits touches a {@link dev.lea.spi.Reporter}: steps return what they have to say.
 * Closing waits for the running steps (DuckDB cannot stop a query, as lea's {@code DuckDBJob.stop}
 * says) and then closes the connections.
 */
final class Workers<T> implements AutoCloseable {

  /** One script or test, run on the connection it is given. */
  interface Step<T> {
    T run(Warehouse warehouse);
  }

  private final List<Warehouse> connections = new ArrayList<>();
  private final BlockingQueue<Warehouse> idle;
  private final ExecutorService threads;
  private final CompletionService<T> finished;
  private int running;

  Workers(Warehouse origin, int count) throws SQLException {
    idle = new ArrayBlockingQueue<>(count);
    try {
      for (int i = 0; i < count; i++) {
        Warehouse connection = origin.duplicate();
        connections.add(connection);
        idle.add(connection);
      }
    } catch (SQLException e) {
      closeConnections(e);
      throw e;
    }
    AtomicInteger number = new AtomicInteger();
    threads = Executors.newFixedThreadPool(count, task -> {
      Thread thread = new Thread(task, "lea-step-" + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    finished = new ExecutorCompletionService<>(threads);
  }

  /** Whether another step can start now. */
  boolean free() {
    return running < connections.size();
  }

  boolean busy() {
    return running > 0;
  }

  void submit(Step<T> step) {
    if (!free()) {
      throw new IllegalStateException("all " + connections.size() + " workers are busy");
    }
    running++;
    finished.submit(() -> {
      Warehouse connection = idle.take();
      try {
        return step.run(connection);
      } finally {
        idle.put(connection);
      }
    });
  }

  /** What the next step to finish returned; waits for it. */
  T next() throws InterruptedException, ExecutionException {
    var step = finished.take();
    running--;
    return step.get();
  }

  @Override
  public void close() {
    threads.shutdown();
    boolean interrupted = false;
    while (!threads.isTerminated()) {
      try {
        threads.awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        // A step still holds its connection; closing it under the step would crash the query.
        interrupted = true;
      }
    }
    closeConnections(null);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeConnections(SQLException failure) {
    for (Warehouse connection : connections) {
      try {
        connection.connection().close();
      } catch (SQLException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        }
      }
    }
  }
}
