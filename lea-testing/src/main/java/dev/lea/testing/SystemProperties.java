package dev.lea.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * System properties set for a while and then put back as they were: for clients that read their
 * settings from them (the AWS SDK's default credentials chain reads {@code aws.accessKeyId} before
 * the environment).
 */
public final class SystemProperties implements AutoCloseable {

  private final Map<String, String> previous = new HashMap<>();

  private SystemProperties() {}

  /** Sets {@code properties}; {@link #close()} restores or clears each of them. */
  public static SystemProperties set(Map<String, String> properties) {
    SystemProperties set = new SystemProperties();
    properties.forEach((k, v) -> set.previous.put(k, System.setProperty(k, v)));
    return set;
  }

  @Override
  public void close() {
    previous.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }
}
