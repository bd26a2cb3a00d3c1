package dev.lea.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Racers on their own threads, released at the same moment once all are ready. */
public final class Race {

  private static final long TIMEOUT_SECONDS = 60;

  /** One racer's attempt, told its number. */
  public interface Racer {
    Object run(int racer) throws Exception;
  }

  private Race() {}

  /**
   * Runs {@code racers} attempts at once; the outcome of each, in racer order, is what it returned
   * or the exception it threw.
   */
  public static List<Object> run(int racers, Racer racer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch ready = new CountDownLatch(racers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        int id = i;
        Callable<Object> task = () -> {
          ready.countDown();
          go.await();
          try {
            return racer.run(id);
          } catch (Exception e) {
            return e;
          }
        };
        futures.add(pool.submit(task));
      }
      if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TimeoutException("Racers not ready after " + TIMEOUT_SECONDS + " s");
      }
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> future : futures) {
        outcomes.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
