package dev.lea.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * System properties set for a while and then put back as they were: for clients that read their
 * settings from them (the AWS SDK's default credentials chain reads {@code aws.accessKeyId} before
 * the environment). Tests running side by side may hold the same properties at the same values:
 * each property is put back when the last of them closes, not under a test still using it.
 */
public final class SystemProperties implements AutoCloseable {

  /** A property some holders have set, and what it was before the first of them. */
  private record Held(String value, String previous, int holders) {}

  private static final Map<String, Held> HELD = new HashMap<>();

  private final Map<String, String> properties;
  private boolean closed;

  private SystemProperties(Map<String, String> properties) {
    this.properties = properties;
  }

  /**
   * Sets {@code properties}; {@link #close()} restores or clears each of them once no other
   * holder has it set.
   *
   * @throws IllegalStateException if another holder has one of them set to another value
   */
  public static SystemProperties set(Map<String, String> properties) {
    synchronized (HELD) {
      properties.forEach((key, value) -> {
        Held held = HELD.get(key);
        if (held != null && !held.value().equals(value)) {
          throw new IllegalStateException("Cannot set system property " + key + " to '" + value
              + "': a test running alongside holds it at '" + held.value()
              + "'. Run the two one after the other.");
        }
      });
      properties.forEach((key, value) -> {
        Held held = HELD.get(key);
        HELD.put(key, held == null
            ? new Held(value, System.setProperty(key, value), 1)
            : new Held(value, held.previous(), held.holders() + 1));
      });
    }
    return new SystemProperties(Map.copyOf(properties));
  }

  @Override
  public void close() {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      properties.keySet().forEach(key -> {
        Held held = HELD.get(key);
        if (held.holders() > 1) {
          HELD.put(key, new Held(held.value(), held.previous(), held.holders() - 1));
          return;
        }
        HELD.remove(key);
        if (held.previous() == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, held.previous());
        }
      });
    }
  }
}
