package dev.lea.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its property name ({@code lea.ducklake.catalogUrl}), the environment name
 * lea uses ({@code LEA_DUCKLAKE_CATALOG_URL}), its default, how it is validated, and whether its
 * value is a secret that must never be printed.
 */
public record Setting(
    String property,
    String defaultValue,
    Type type,
    List<String> allowed,
    boolean secret,
    String description) {

  /** How a value is checked. */
  public enum Type {
    STRING,
    /** One of {@link #allowed()}. */
    CHOICE,
    /** The name of an SPI implementation, checked when looked up ({@link LeaConfig#provider}). */
    PROVIDER,
    BOOLEAN,
    /** An ISO-8601 duration such as {@code PT2M}. */
    DURATION,
    INTEGER,
    /** A byte size such as {@code 64MiB} or a plain number of bytes. */
    SIZE
  }

  public Setting {
    allowed = List.copyOf(allowed);
  }

  /** The environment variable: {@code lea.ducklake.catalogUrl} is {@code LEA_DUCKLAKE_CATALOG_URL}. */
  public String environmentName() {
    StringBuilder env = new StringBuilder();
    for (char c : property.toCharArray()) {
      if (c == '.') {
        env.append('_');
      } else if (Character.isUpperCase(c)) {
        env.append('_').append(c);
      } else {
        env.append(Character.toUpperCase(c));
      }
    }
    return env.toString().toUpperCase(Locale.ROOT);
  }
}
