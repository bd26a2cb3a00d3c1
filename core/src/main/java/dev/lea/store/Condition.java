package dev.lea.store;

import java.util.Objects;

/** The precondition of a write or delete: none, the key must be absent, or at a version. */
public final class Condition {

  /** What the precondition checks. */
  public enum Type {
    NONE,
    IF_ABSENT,
    IF_MATCH
  }

  private static final Condition NONE = new Condition(Type.NONE, null);
  private static final Condition IF_ABSENT = new Condition(Type.IF_ABSENT, null);

  private final Type type;
  private final String version;

  private Condition(Type type, String version) {
    this.type = type;
    this.version = version;
  }

  public static Condition none() {
    return NONE;
  }

  public static Condition ifAbsent() {
    return IF_ABSENT;
  }

  public static Condition ifMatch(String version) {
    return new Condition(Type.IF_MATCH, Objects.requireNonNull(version, "version"));
  }

  public Type type() {
    return type;
  }

  /** The expected version for {@link Type#IF_MATCH}, else {@code null}. */
  public String version() {
    return version;
  }

  @Override
  public String toString() {
    return switch (type) {
      case NONE -> "none";
      case IF_ABSENT -> "ifAbsent";
      case IF_MATCH -> "ifMatch(" + version + ")";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition other
        && type == other.type
        && Objects.equals(version, other.version);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, version);
  }
}
