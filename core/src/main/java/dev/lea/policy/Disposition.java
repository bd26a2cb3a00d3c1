package dev.lea.policy;

import java.util.Objects;

/** A failure policy's decision. */
public record Disposition(Target target, String key) {

  /** Where the catalog goes. */
  public enum Target {
    /** Upload to the catalog key, fenced like a successful run. */
    MAIN,
    /** Upload to another key beside it; the main catalog is untouched. */
    ASIDE,
    /** Upload nothing; keep the local file and print its path. */
    LOCAL
  }

  public Disposition {
    Objects.requireNonNull(target, "target");
    if (target == Target.ASIDE) {
      Objects.requireNonNull(key, "key");
    }
  }

  public static Disposition main() {
    return new Disposition(Target.MAIN, null);
  }

  public static Disposition aside(String key) {
    return new Disposition(Target.ASIDE, key);
  }

  public static Disposition local() {
    return new Disposition(Target.LOCAL, null);
  }
}
