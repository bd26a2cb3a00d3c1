package dev.lea.config;

/** A setting's effective value and where it came from; {@code value} is null when unset. */
public record ResolvedValue(Setting setting, String value, Source source) {

  /** The value as it may be printed: secrets are masked. */
  public String display() {
    if (value == null) {
      return "(unset)";
    }
    if (setting.secret() && !value.isEmpty()) {
      return "****";
    }
    return value.isEmpty() ? "(empty)" : value;
  }
}
