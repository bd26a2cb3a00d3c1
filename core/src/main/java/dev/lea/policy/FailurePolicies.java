package dev.lea.policy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Providers;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SortedSet;

/** Finds failure policies by name. */
public final class FailurePolicies {

  /** Timestamps in keys sort by time and contain no characters a store objects to. */
  static final DateTimeFormatter KEY_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private FailurePolicies() {}

  /** lea's own policies, fresh ones each time as {@link java.util.ServiceLoader} gives. */
  private static List<FailurePolicy> builtIns() {
    return List.of(new UploadOnSuccessPolicy(), new UploadAlwaysPolicy(), new UploadAsidePolicy());
  }

  /** The names of every policy: lea's own and those jars on the classpath provide, sorted. */
  public static SortedSet<String> names() {
    return Providers.names(FailurePolicy.class, builtIns(), p -> List.of(p.name()));
  }

  /**
   * The failure policy {@code lea.ducklake.onFailure} names; a name no jar on the classpath
   * provides is refused with the valid ones.
   */
  public static FailurePolicy configured(LeaConfig config) {
    return config.provider(LeaSettings.ON_FAILURE, Providers.all(FailurePolicy.class, builtIns()));
  }

  public static FailurePolicy named(String name) {
    return Providers.find(FailurePolicy.class, builtIns(), "failure policy", name,
        p -> List.of(p.name()));
  }
}
