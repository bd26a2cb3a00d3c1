package dev.lea.lock;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Providers;
import java.util.List;
import java.util.SortedSet;

/** Finds lock strategies by name. */
public final class LockStrategies {

  private LockStrategies() {}

  /** lea's own strategies, fresh ones each time as {@link java.util.ServiceLoader} gives. */
  private static List<LockStrategy> builtIns() {
    return List.of(new LockFileStrategy(), new ConditionalWriteStrategy(), new NoLockStrategy());
  }

  /** The names of every strategy: lea's own and those jars on the classpath provide, sorted. */
  public static SortedSet<String> names() {
    return Providers.names(LockStrategy.class, builtIns(), s -> List.of(s.name()));
  }

  /**
   * The lock strategy {@code lea.ducklake.lock} names; a name no jar on the classpath provides is
   * refused with the valid ones.
   */
  public static LockStrategy configured(LeaConfig config) {
    return config.provider(LeaSettings.LOCK, Providers.all(LockStrategy.class, builtIns()));
  }

  public static LockStrategy named(String name) {
    return Providers.find(LockStrategy.class, builtIns(), "lock strategy", name,
        s -> List.of(s.name()));
  }
}
