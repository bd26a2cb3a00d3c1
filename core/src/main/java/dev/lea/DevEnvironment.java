package dev.lea;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.util.regex.Pattern;

/**
 * lea's development environments: without {@code lea.production}, a run with
 * {@code LEA_USERNAME=max} writes to {@code warehouse_max.duckdb} (or {@code catalog_max.sqlite}),
 * so each developer has their own copy and production is never touched by accident.
 */
final class DevEnvironment {

  private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private DevEnvironment() {}

  static LeaConfig apply(LeaConfig config) {
    if (config.flag(LeaSettings.PRODUCTION)) {
      return config;
    }
    var username = config.find(LeaSettings.USERNAME);
    if (username.isEmpty()) {
      return config;
    }
    if (!username.get().matches("[A-Za-z0-9_-]+")) {
      throw LeaException.user("Cannot use '" + username.get() + "' for lea.username"
          + " (LEA_USERNAME): it becomes part of file and object names, so use letters, digits,"
          + " '_' and '-'.");
    }
    LeaConfig result = config;
    for (String key : new String[] {LeaSettings.DUCKDB_PATH, LeaSettings.CATALOG_URL,
        LeaSettings.CATALOG_DATABASE}) {
      var value = config.find(key);
      if (value.isPresent() && !value.get().startsWith("postgres:")) {
        result = result.with(key, suffixed(value.get(), username.get()));
      }
    }
    return result;
  }

  /** {@code .../catalog.sqlite} becomes {@code .../catalog_max.sqlite}. */
  static String suffixed(String pathOrUrl, String username) {
    int slash = pathOrUrl.lastIndexOf('/');
    int dot = pathOrUrl.lastIndexOf('.');
    String suffix = "_" + username;
    if (dot > slash + 1) {
      return pathOrUrl.substring(0, dot) + suffix + pathOrUrl.substring(dot);
    }
    return pathOrUrl + suffix;
  }

  static boolean isUrl(String value) {
    return URL.matcher(value).matches() && !value.matches("^[A-Za-z]:\\\\.*");
  }
}
