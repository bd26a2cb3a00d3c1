package dev.lea.lock;

import dev.lea.spi.Providers;
import java.util.List;

/** Finds lock strategies by name. */
public final class LockStrategies {

  private LockStrategies() {}

  public static LockStrategy named(String name) {
    return Providers.find(LockStrategy.class, "lock strategy", name, s -> List.of(s.name()));
  }
}
