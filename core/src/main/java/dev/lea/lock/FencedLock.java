package dev.lea.lock;

import dev.lea.store.Condition;
import java.util.Optional;

/** The handle of strategies without a lock object: it only decides how the upload is fenced. */
final class FencedLock implements CatalogLock {

  private final boolean fenced;
  private volatile boolean closed;

  FencedLock(boolean fenced) {
    this.fenced = fenced;
  }

  /** The upload condition of every fencing strategy: the version seen, or absent when fresh. */
  static Condition fenceFor(String versionAtDownload) {
    return versionAtDownload == null ? Condition.ifAbsent() : Condition.ifMatch(versionAtDownload);
  }

  @Override
  public Condition fence(String versionAtDownload) {
    return fenced ? fenceFor(versionAtDownload) : Condition.none();
  }

  @Override
  public Optional<LockInfo> info() {
    return Optional.empty();
  }

  @Override
  public boolean isHeld() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
