package dev.lea.lock;

import java.time.Instant;

/**
 * The body of a lock object: who holds it and until when. {@code version} is the lea-java
 * version that wrote it; {@code objectVersion} the store's version of the lock object (not part of
 * the JSON body).
 */
public record LockInfo(
    String id,
    String who,
    long pid,
    String operation,
    Instant created,
    Instant expires,
    String version,
    String objectVersion) {

  public boolean isExpired(Instant now) {
    return !expires.isAfter(now);
  }
}
