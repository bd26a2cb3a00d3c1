package dev.lea;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.LeaRunner;
import java.util.regex.Pattern;

/**
 * Applies lea's development environments to the warehouse location before a session opens:
 * without {@code lea.production}, each developer writes to their own copy
 * ({@link LeaRunner#effectiveLocation}).
 */
final class DevEnvironment {

  private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private DevEnvironment() {}

  static LeaConfig apply(LeaConfig config) {
    if (config.flag(LeaSettings.PRODUCTION)) {
      return config;
    }
    String key = config.warehouse().equals("duckdb") ? LeaSettings.DUCKDB_PATH
        : config.find(LeaSettings.CATALOG_URL).isPresent() ? LeaSettings.CATALOG_URL
            : LeaSettings.CATALOG_DATABASE;
    var value = config.find(key);
    if (value.isEmpty() || value.get().startsWith("postgres:")) {
      return config;
    }
    return config.derive(key, LeaRunner.effectiveLocation(value.get(), config));
  }

  static boolean isUrl(String value) {
    return URL.matcher(value).matches() && !value.matches("^[A-Za-z]:\\\\.*");
  }
}
