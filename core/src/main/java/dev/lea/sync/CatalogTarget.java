package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.config.Source;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a session opens, derived from configuration: the warehouse kind, the catalog format, and
 * either a remote location to sync or a local database used in place.
 */
record CatalogTarget(Kind kind, String format, Location remote, String local) {

  /** The four ways a session attaches. */
  enum Kind {
    /** A plain DuckDB database file is the warehouse. */
    DUCKDB,
    /** A DuckLake whose catalog is a SQLite or DuckDB file. */
    DUCKLAKE,
    /** A DuckLake on a Postgres catalog: attached directly, never synced. */
    DUCKLAKE_POSTGRES,
    /** A MotherDuck database: attached directly, never synced. */
    MOTHERDUCK
  }

  static final String FORMAT_DUCKDB_WAREHOUSE = "duckdb-warehouse";

  private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*|^file:.*");

  static CatalogTarget resolve(LeaConfig config) {
    if (config.warehouse().equals("motherduck")) {
      return new CatalogTarget(Kind.MOTHERDUCK, "motherduck", null,
          "md:" + MotherDuck.database(config));
    }
    if (config.warehouse().equals("duckdb")) {
      String path = config.find(LeaSettings.DUCKDB_PATH).orElseThrow(() -> LeaException.user(
          "Cannot open the DuckDB warehouse: " + LeaSettings.DUCKDB_PATH + " (LEA_DUCKDB_PATH)"
              + " is not set. Set it to a local file, or to a URL such as"
              + " file:///data/warehouse.duckdb or s3://bucket/warehouse.duckdb to keep it in a"
              + " bucket."));
      return isUrl(path)
          ? new CatalogTarget(Kind.DUCKDB, FORMAT_DUCKDB_WAREHOUSE, parse(path, config), null)
          : new CatalogTarget(Kind.DUCKDB, FORMAT_DUCKDB_WAREHOUSE, null,
              config.projectDirectory().resolve(path).normalize().toString());
    }
    String format = config.get(LeaSettings.CATALOG_FORMAT);
    var url = config.find(LeaSettings.CATALOG_URL);
    var database = config.find(LeaSettings.CATALOG_DATABASE);
    if (url.isPresent() && database.isPresent()) {
      throw LeaException.user("Cannot open the DuckLake catalog: both " + LeaSettings.CATALOG_URL
          + " (LEA_DUCKLAKE_CATALOG_URL) and " + LeaSettings.CATALOG_DATABASE
          + " (LEA_DUCKLAKE_CATALOG_DATABASE) are set. Keep the URL to sync the catalog through a"
          + " bucket, or the database to use a local catalog in place.");
    }
    if (url.isPresent()) {
      if (url.get().startsWith("postgres:")) {
        return new CatalogTarget(Kind.DUCKLAKE_POSTGRES, "postgres", null, url.get());
      }
      return new CatalogTarget(Kind.DUCKLAKE, format, parse(url.get(), config), null);
    }
    if (database.isPresent()) {
      String value = database.get();
      if (value.startsWith("postgres:")) {
        return new CatalogTarget(Kind.DUCKLAKE_POSTGRES, "postgres", null, value);
      }
      if (value.startsWith("sqlite:")) {
        return new CatalogTarget(Kind.DUCKLAKE, "sqlite", null,
            localPath(value.substring("sqlite:".length()), config));
      }
      // lea attaches 'ducklake:<value>' as it is, which DuckLake reads as a DuckDB-file catalog
      // (lea's own examples use metadata.ducklake); an explicit catalogFormat still wins.
      String localFormat = config.source(LeaSettings.CATALOG_FORMAT) == Source.DEFAULT
          ? "duckdb" : format;
      return new CatalogTarget(Kind.DUCKLAKE, localFormat, null, localPath(value, config));
    }
    throw LeaException.user("Cannot open the DuckLake catalog: neither "
        + LeaSettings.CATALOG_URL + " (LEA_DUCKLAKE_CATALOG_URL) nor "
        + LeaSettings.CATALOG_DATABASE + " (LEA_DUCKLAKE_CATALOG_DATABASE) is set.");
  }

  /** {@link #resolve}'s remote location, without failing when no warehouse is configured. */
  static Optional<Location> remote(LeaConfig config) {
    Optional<String> url = config.warehouse().equals("duckdb")
        ? config.find(LeaSettings.DUCKDB_PATH)
        : config.warehouse().equals("motherduck") ? Optional.empty()
            : config.find(LeaSettings.CATALOG_URL);
    return url.filter(u -> !u.startsWith("postgres:") && isUrl(u)).map(u -> parse(u, config));
  }

  boolean synced() {
    return remote != null;
  }

  /** The URL or path as a user would recognise it. */
  String describe() {
    return remote != null ? remote.toString() : local;
  }

  private static boolean isUrl(String value) {
    return URL.matcher(value).matches();
  }

  private static Location parse(String url, LeaConfig config) {
    return Location.parse(url, config.projectDirectory());
  }

  private static String localPath(String value, LeaConfig config) {
    Path path = Path.of(value);
    return config.projectDirectory().resolve(path).normalize().toString();
  }
}
