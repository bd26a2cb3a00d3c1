package dev.lea.sync;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * Lock-step between a transfer and the progress loop, so each progress line sees exactly the bytes
 * the test let through, with no sleeping: the transfer releases {@link #reached} when it has moved
 * one step and waits at {@link #open}; the {@link #ticker} opens the gate, waits for the step, and
 * moves its clock by the interval the loop asked for.
 */
final class ProgressGate {

  final Semaphore open = new Semaphore(0);
  final Semaphore reached = new Semaphore(0);
  private volatile boolean finished;

  /** The transfer is over: the waiting ticker returns its result instead of another line. */
  void finish() {
    finished = true;
    reached.release();
  }

  /**
   * A ticker that opens the gate at every wait, or, when the transfer moves its first step before
   * waiting (an upload counts, then waits), at every wait but the first.
   */
  Transfers.Ticker ticker(boolean openOnFirstWait) {
    return new Transfers.Ticker() {
      private boolean first = true;
      private long now;

      @Override
      public long nanoTime() {
        return now;
      }

      @Override
      public <T> T await(Future<T> task, long nanos)
          throws InterruptedException, ExecutionException, TimeoutException {
        if (openOnFirstWait || !first) {
          open.release();
        }
        first = false;
        reached.acquire();
        if (finished) {
          return task.get();
        }
        now += nanos;
        throw new TimeoutException();
      }
    };
  }
}
