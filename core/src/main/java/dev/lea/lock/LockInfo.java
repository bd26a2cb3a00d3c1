package dev.lea.lock;

import java.time.Instant;
import java.util.regex.Pattern;

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

  /** Ids a shell passes on unchanged; lea's own ids are hex. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:@%+=,/-]+");

  public boolean isExpired(Instant now) {
    return !expires.isAfter(now);
  }

  /** True for an object at the lock key that lea did not write (see {@link LockFiles}). */
  public boolean isUnreadable() {
    return id.startsWith(LockFiles.UNREADABLE_PREFIX) && expires.equals(Instant.MAX);
  }

  /** The lock's state for {@code lea:status}, with what to do about it. */
  public String summary(Instant now) {
    if (isUnreadable()) {
      return "the object in its place is not a lock lea wrote (" + LockFiles.problem(this)
          + ", written " + created + "); lea will not delete it. " + LockFiles.MANUAL;
    }
    return "held by " + who + " (pid " + pid + ", " + operation + ") since " + created + ", "
        + (isExpired(now) ? "expired at " : "expires ") + expires + "; id " + id
        + ". Break it with " + unlockCommand();
  }

  /**
   * The command that breaks this lock, safe to paste into a POSIX shell: an id lea did not write
   * may hold anything, so any id with characters a shell treats specially is single-quoted.
   */
  public String unlockCommand() {
    String argument = "-Dlea.unlockId=" + id;
    if (!SHELL_SAFE.matcher(id).matches()) {
      argument = "'" + argument.replace("'", "'\\''") + "'";
    }
    return "mvn lea:unlock " + argument;
  }
}
