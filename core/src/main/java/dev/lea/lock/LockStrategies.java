package dev.lea.lock;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Providers;
import java.util.List;

/** Finds lock strategies by name. */
public final class LockStrategies {

  private LockStrategies() {}

  /**
   * The lock strategy {@code lea.ducklake.lock} names; a name no jar on the classpath provides is
   * refused with the valid ones.
   */
  public static LockStrategy configured(LeaConfig config) {
    return config.provider(LeaSettings.LOCK, LockStrategy.class);
  }

  public static LockStrategy named(String name) {
    return Providers.find(LockStrategy.class, "lock strategy", name, s -> List.of(s.name()));
  }
}
