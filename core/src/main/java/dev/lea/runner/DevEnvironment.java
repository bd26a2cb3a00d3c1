package dev.lea.runner;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.util.regex.Pattern;

/**
 * Applies lea's development environments to the warehouse location before a session opens:
 * without {@code lea.production}, each developer writes to their own copy
 * ({@link LeaRunner#effectiveLocation}).
 */
final class DevEnvironment {

  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_-]+");

  private DevEnvironment() {}

  static LeaConfig apply(LeaConfig config) {
    String key = locationKey(config);
    var value = config.find(key);
    if (value.isEmpty() || value.get().startsWith("postgres:")) {
      return config;
    }
    String location = config.find(LeaSettings.DATASET)
        .map(dataset -> withDataset(value.get(), dataset)).orElse(value.get());
    return config.derive(key, LeaRunner.effectiveLocation(location, config));
  }

  private static String locationKey(LeaConfig config) {
    return config.warehouse().equals("duckdb") ? LeaSettings.DUCKDB_PATH
        : config.find(LeaSettings.CATALOG_URL).isPresent() ? LeaSettings.CATALOG_URL
            : LeaSettings.CATALOG_DATABASE;
  }

  /**
   * A run's first line: dev or production, and what it writes, so that a developer who meant
   * production (or the reverse) sees it before anything is built.
   */
  static String describe(LeaConfig config, LeaConfig effective) {
    String key = locationKey(effective);
    boolean production = effective.flag(LeaSettings.PRODUCTION);
    if (effective.find(key).isEmpty()) {
      return (production ? "Production" : "Dev") + " run: no warehouse is configured (" + key
          + ").";
    }
    String writes = effective.find(key).get();
    if (production) {
      return "Production run (" + LeaSettings.PRODUCTION + "=true): writing " + writes + ".";
    }
    String configured = config.find(key).orElse(writes);
    return "Dev run for " + effective.username() + ": writing " + writes
        + (configured.equals(writes) ? "." : " (" + LeaSettings.PRODUCTION + "=true writes "
            + configured + ").");
  }

  /**
   * lea's {@code --dataset}: lea names a DuckDB warehouse {@code Path(LEA_DUCKDB_PATH)
   * .with_stem(dataset)} (lea/databases.py, {@code create_dataset}); the same renames a catalog
   * file here, so {@code lake/catalog.sqlite} with dataset {@code sandbox} is
   * {@code lake/sandbox.sqlite}.
   */
  static String withDataset(String location, String dataset) {
    if (!DATASET.matcher(dataset).matches()) {
      throw LeaException.user("Cannot use '" + dataset + "' for " + LeaSettings.DATASET
          + " (LEA_DATASET): a dataset name is letters, digits, '_' and '-', as lea's --dataset"
          + " names a database.");
    }
    return LeaRunner.withStem(location, stem -> dataset);
  }
}
