package dev.lea.config;

import dev.lea.lock.LockStrategy;
import dev.lea.policy.FailurePolicy;
import dev.lea.spi.Named;
import dev.lea.transport.CatalogTransport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key, with its default next to it. Property names follow lea's environment
 * names (SPEC §5): {@code LEA_DUCKLAKE_CATALOG_URL} is {@code lea.ducklake.catalogUrl}.
 */
public final class LeaSettings {

  private LeaSettings() {}

  public static final String WAREHOUSE = "lea.warehouse";
  /** Empty: inferred, {@code ducklake} when a DuckLake catalog is configured, else {@code duckdb}. */
  public static final String WAREHOUSE_DEFAULT = "";

  public static final String CATALOG_URL = "lea.ducklake.catalogUrl";
  public static final String CATALOG_DATABASE = "lea.ducklake.catalogDatabase";
  public static final String DATA_PATH = "lea.ducklake.dataPath";

  public static final String CATALOG_FORMAT = "lea.ducklake.catalogFormat";
  public static final String CATALOG_FORMAT_DEFAULT = "sqlite";

  public static final String TRANSPORT = "lea.ducklake.transport";
  public static final String TRANSPORT_DEFAULT = "object-copy";

  public static final String COMPRESSION = "lea.ducklake.compression";
  public static final String COMPRESSION_DEFAULT = "none";

  public static final String LOCK = "lea.ducklake.lock";
  public static final String LOCK_DEFAULT = "lock-file";

  public static final String ON_FAILURE = "lea.ducklake.onFailure";
  public static final String ON_FAILURE_DEFAULT = "upload-always";

  public static final String READ_ONLY = "lea.ducklake.readOnly";
  public static final String READ_ONLY_DEFAULT = "false";

  public static final String SNAPSHOT_VERSION = "lea.ducklake.snapshotVersion";
  public static final String DATA_INLINING_ROW_LIMIT = "lea.ducklake.dataInliningRowLimit";
  public static final String ENCRYPTED = "lea.ducklake.encrypted";
  public static final String METADATA_SCHEMA = "lea.ducklake.metadataSchema";
  public static final String OVERRIDE_DATA_PATH = "lea.ducklake.overrideDataPath";

  public static final String MAINTENANCE = "lea.ducklake.maintenance";
  public static final String MAINTENANCE_DEFAULT = "false";

  /** lea's LEA_DUCKLAKE_SECRET: the body of one CREATE SECRET statement. */
  public static final String DUCKLAKE_SECRET = "lea.ducklake.secret";
  /** lea's LEA_DUCKLAKE_S3_ENDPOINT: DuckDB's s3_endpoint, for S3-compatible data paths. */
  public static final String DUCKLAKE_S3_ENDPOINT = "lea.ducklake.s3Endpoint";

  public static final String DUCKDB_PATH = "lea.duckdb.path";
  public static final String DUCKDB_SECRETS = "lea.duckdb.secrets";
  public static final String DUCKDB_EXTENSIONS = "lea.duckdb.extensions";
  public static final String EXTENSION_DIRECTORY = "lea.duckdb.extensionDirectory";
  public static final String EXTENSION_REPOSITORY = "lea.duckdb.extensionRepository";
  public static final String ALLOW_UNSIGNED_EXTENSIONS = "lea.duckdb.allowUnsignedExtensions";
  public static final String ALLOW_UNSIGNED_EXTENSIONS_DEFAULT = "false";

  public static final String USERNAME = "lea.username";

  public static final String LOCK_TTL = "lea.lock.ttl";
  public static final String LOCK_TTL_DEFAULT = "PT2M";

  public static final String LOCK_WAIT = "lea.lock.wait";
  public static final String LOCK_WAIT_DEFAULT = "PT0S";

  public static final String CACHE_DIR = "lea.cache.dir";
  /** {@code ~} is the user's home directory. */
  public static final String CACHE_DIR_DEFAULT = "~/.cache/lea";

  public static final String CACHE_ENABLED = "lea.cache.enabled";
  public static final String CACHE_ENABLED_DEFAULT = "true";

  public static final String WORK_DIR = "lea.workDir";

  public static final String GC_GRACE = "lea.gc.grace";
  public static final String GC_GRACE_DEFAULT = "P7D";

  public static final String S3_ENDPOINT = "lea.s3.endpoint";
  public static final String S3_REGION = "lea.s3.region";
  public static final String S3_PATH_STYLE = "lea.s3.pathStyle";
  public static final String S3_PATH_STYLE_DEFAULT = "false";
  public static final String R2_ACCOUNT_ID = "lea.r2.accountId";
  public static final String GCS_ENDPOINT = "lea.gcs.endpoint";
  public static final String GCS_PROJECT = "lea.gcs.project";

  public static final String SCRIPTS = "lea.scripts";
  public static final String SCRIPTS_DEFAULT = "scripts";
  public static final String TESTS = "lea.tests";
  public static final String TESTS_DEFAULT = "tests";
  public static final String SELECT = "lea.select";
  public static final String UNSELECT = "lea.unselect";
  public static final String DRY_RUN = "lea.dryRun";
  public static final String RESTART = "lea.restart";
  public static final String PRODUCTION = "lea.production";
  public static final String FRESH = "lea.fresh";
  public static final String INCREMENTAL = "lea.incremental";
  public static final String DROP_ORPHANS = "lea.dropOrphans";
  public static final String FLAG_DEFAULT = "false";

  private static final Map<String, Setting> ALL = new LinkedHashMap<>();
  private static final Map<String, Class<? extends Named>> PROVIDERS = new LinkedHashMap<>();

  static {
    choice(WAREHOUSE, WAREHOUSE_DEFAULT, List.of("duckdb", "ducklake"),
        "Warehouse kind; inferred from the other keys when empty.");
    string(CATALOG_URL, null, "Remote DuckLake catalog (file:, s3:, r2:, gs:), synced each run.");
    string(CATALOG_DATABASE, null, "Local DuckLake catalog file, attached in place with no sync.");
    string(DATA_PATH, null, "DuckLake DATA_PATH; required when a catalog is created.");
    choice(CATALOG_FORMAT, CATALOG_FORMAT_DEFAULT, List.of("sqlite", "duckdb"),
        "Database format of the DuckLake catalog file.");
    provider(TRANSPORT, TRANSPORT_DEFAULT, CatalogTransport.class,
        "How the catalog file travels to and from the store.");
    choice(COMPRESSION, COMPRESSION_DEFAULT, List.of("none", "gzip", "zstd"),
        "Compression of the uploaded catalog (object-copy stream, parquet-blob codec, chunked"
            + " chunks).");
    provider(LOCK, LOCK_DEFAULT, LockStrategy.class, "How concurrent writers are kept apart.");
    provider(ON_FAILURE, ON_FAILURE_DEFAULT, FailurePolicy.class,
        "Where the catalog goes when the run fails.");
    typed(READ_ONLY, READ_ONLY_DEFAULT, Setting.Type.BOOLEAN,
        "Attach read-only: download, never lock, never upload.");
    typed(SNAPSHOT_VERSION, null, Setting.Type.INTEGER, "DuckLake SNAPSHOT_VERSION (time travel).");
    typed(DATA_INLINING_ROW_LIMIT, null, Setting.Type.INTEGER, "DuckLake DATA_INLINING_ROW_LIMIT.");
    typed(ENCRYPTED, null, Setting.Type.BOOLEAN, "DuckLake ENCRYPTED.");
    string(METADATA_SCHEMA, null, "DuckLake METADATA_SCHEMA.");
    typed(OVERRIDE_DATA_PATH, null, Setting.Type.BOOLEAN, "DuckLake OVERRIDE_DATA_PATH.");
    string(MAINTENANCE, MAINTENANCE_DEFAULT,
        "DuckLake maintenance after a successful run (expire snapshots, merge adjacent files,"
            + " clean up old files): false, true (older than a week), or an age such as P30D.");
    secret(DUCKLAKE_SECRET, "lea's LEA_DUCKLAKE_SECRET: the body of one DuckDB CREATE SECRET"
        + " statement, e.g. TYPE r2, KEY_ID '...', SECRET '...', ACCOUNT_ID '...'.");
    string(DUCKLAKE_S3_ENDPOINT, null,
        "lea's LEA_DUCKLAKE_S3_ENDPOINT: DuckDB's s3_endpoint for the data path.");
    string(DUCKDB_PATH, null, "Plain DuckDB warehouse file, local path or remote URL.");
    secret(DUCKDB_SECRETS, "DuckDB CREATE SECRET statements or secret settings, as in lea.");
    string(DUCKDB_EXTENSIONS, null, "Extra DuckDB extensions to load, comma separated.");
    string(EXTENSION_DIRECTORY, null, "DuckDB extension_directory, for offline setups.");
    string(EXTENSION_REPOSITORY, null, "DuckDB custom_extension_repository, for mirrors.");
    typed(ALLOW_UNSIGNED_EXTENSIONS, ALLOW_UNSIGNED_EXTENSIONS_DEFAULT, Setting.Type.BOOLEAN,
        "Allow unsigned DuckDB extensions (locally built or mirrored).");
    string(USERNAME, null, "Dev environment suffix; dev runs write to <name>_<username>.");
    typed(LOCK_TTL, LOCK_TTL_DEFAULT, Setting.Type.DURATION,
        "How long a lock lives without a heartbeat.");
    typed(LOCK_WAIT, LOCK_WAIT_DEFAULT, Setting.Type.DURATION,
        "How long to wait for a lock held by someone else.");
    string(CACHE_DIR, CACHE_DIR_DEFAULT, "Where the last downloaded catalog is cached.");
    typed(CACHE_ENABLED, CACHE_ENABLED_DEFAULT, Setting.Type.BOOLEAN,
        "Keep the last downloaded catalog to skip unchanged downloads.");
    string(WORK_DIR, null, "Private directory for the session's local files (default: a new"
        + " owner-only temporary directory).");
    typed(GC_GRACE, GC_GRACE_DEFAULT, Setting.Type.DURATION,
        "lea:gc deletes unreferenced chunks (chunked transport) older than this; at least P1D.");
    string(S3_ENDPOINT, null, "S3 endpoint override for S3-compatible stores.");
    string(S3_REGION, null, "S3 region (default: the SDK's region chain).");
    typed(S3_PATH_STYLE, S3_PATH_STYLE_DEFAULT, Setting.Type.BOOLEAN, "S3 path-style access.");
    string(R2_ACCOUNT_ID, null, "Cloudflare account id; r2:// URLs derive their endpoint from it.");
    string(GCS_ENDPOINT, null, "GCS endpoint override, for emulators.");
    string(GCS_PROJECT, null, "GCS project id.");
    string(SCRIPTS, SCRIPTS_DEFAULT, "The scripts folder, relative to the project directory.");
    string(TESTS, TESTS_DEFAULT, "The singular tests folder, relative to the project directory.");
    string(SELECT, null, "Scripts to run: core.orders, core/, core.orders+, +core.orders.");
    string(UNSELECT, null, "Scripts not to run, same syntax as lea.select.");
    typed(DRY_RUN, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Build and test the audit tables; promote and upload nothing.");
    typed(RESTART, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Run every selected script again.");
    typed(PRODUCTION, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Write to the configured names.");
    typed(FRESH, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Start from an empty warehouse.");
    string(INCREMENTAL, null, "Incremental field and values: field=v1,v2.");
    typed(DROP_ORPHANS, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Allow a full run to drop more than"
        + " half of the tables it built as orphans (their scripts are gone).");
  }

  private static void put(Setting setting) {
    ALL.put(setting.property(), setting);
  }

  private static void string(String property, String def, String description) {
    put(new Setting(property, def, Setting.Type.STRING, List.of(), false, description));
  }

  private static void secret(String property, String description) {
    put(new Setting(property, null, Setting.Type.STRING, List.of(), true, description));
  }

  private static void typed(String property, String def, Setting.Type type, String description) {
    put(new Setting(property, def, type, List.of(), false, description));
  }

  private static void choice(String property, String def, List<String> allowed, String description) {
    put(new Setting(property, def, Setting.Type.CHOICE, allowed, false, description));
  }

  private static void provider(
      String property, String def, Class<? extends Named> spi, String description) {
    put(new Setting(property, def, Setting.Type.PROVIDER, List.of(), false, description));
    PROVIDERS.put(property, spi);
  }

  /** Every known setting, in documentation order. */
  public static List<Setting> all() {
    return Collections.unmodifiableList(new ArrayList<>(ALL.values()));
  }

  /** The setting for a property name, or {@code null}. */
  public static Setting byProperty(String property) {
    return ALL.get(property);
  }

  /** The setting for an environment variable name, or {@code null}. */
  public static Setting byEnvironmentName(String name) {
    for (Setting setting : ALL.values()) {
      if (setting.environmentName().equals(name)) {
        return setting;
      }
    }
    return null;
  }

  /** The SPI whose implementation names a {@link Setting.Type#PROVIDER} setting accepts. */
  static Class<? extends Named> providerType(String property) {
    return PROVIDERS.get(property);
  }
}
