package dev.lea.sync;

import dev.lea.internal.Background;
import dev.lea.lock.CatalogLock;
import dev.lea.lock.LockRequest;
import dev.lea.lock.LockStrategy;
import java.io.IOException;
import java.util.concurrent.FutureTask;

/**
 * A lock being taken on a thread of its own, so the session's local work (its directory, the
 * cache, DuckDB's attach) runs meanwhile: taking a lock mostly waits on the store, the local work
 * mostly on the CPU. DuckDB stays on the caller's thread, where its memory is already warm.
 */
final class LockTaking {

  private final FutureTask<CatalogLock> task;
  private final Thread thread;

  private LockTaking(FutureTask<CatalogLock> task, Thread thread) {
    this.task = task;
    this.thread = thread;
  }

  static LockTaking start(LockStrategy strategy, LockRequest request) {
    FutureTask<CatalogLock> task = new FutureTask<>(() -> strategy.acquire(request));
    Thread thread = new Thread(task, "lea-lock-" + request.runId());
    thread.setDaemon(true);
    thread.start();
    return new LockTaking(task, thread);
  }

  /**
   * The lock, once taken. An interrupt is passed on to the thread taking it, which gives up
   * waiting for another holder; this still waits for its outcome, so a lock it took is never left
   * behind unreleased, and the interrupt stays set.
   */
  CatalogLock await() throws IOException {
    return Background.await(task, thread::interrupt);
  }

  /** For a session that failed before it needed the lock: releases it if it was taken. */
  void release(Exception failure) {
    try {
      await().close();
    } catch (IOException | RuntimeException notTaken) {
      failure.addSuppressed(notTaken);
    }
  }
}
