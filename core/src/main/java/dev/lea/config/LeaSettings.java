package dev.lea.config;

import dev.lea.internal.Providers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

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

  /** lea v0.18's LEA_DUCKLAKE_SECRET (v0.19 has LEA_DUCKDB_SECRETS): one CREATE SECRET body. */
  public static final String DUCKLAKE_SECRET = "lea.ducklake.secret";
  /** lea v0.17's LEA_DUCKLAKE_S3_ENDPOINT: DuckDB's s3_endpoint, for S3-compatible data paths. */
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

  public static final String TRANSFER_TIMEOUT = "lea.transfer.timeout";
  public static final String TRANSFER_TIMEOUT_DEFAULT = "PT30M";
  public static final String TRANSFER_PROGRESS = "lea.transfer.progress";
  public static final String TRANSFER_PROGRESS_DEFAULT = "PT10S";

  public static final String GC_GRACE = "lea.gc.grace";
  public static final String GC_GRACE_DEFAULT = "P7D";

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

  /** lea's {@code --print}: print the rendered SQL of the selected scripts, run nothing. */
  public static final String PRINT = "lea.print";
  /** lea's {@code --env-file}: the .env file to read instead of the project's {@code .env}. */
  public static final String ENV_FILE = "lea.envFile";
  /** lea's {@code --dataset}: the base name of the warehouse instead of its file's name. */
  public static final String DATASET = "lea.dataset";
  /** lea's {@code LEA_MOTHERDUCK_DATABASE}; the token is lea's {@code MOTHERDUCK_TOKEN}. */
  public static final String MOTHERDUCK_DATABASE = "lea.motherduck.database";

  /** The longest duration any setting takes, so a typo cannot overflow a clock. */
  static final Duration DURATION_MAX_DEFAULT = Duration.ofDays(3650);
  /** Deadline of one request attempt to S3 or GCS; a download must deliver a part within it. */
  public static final String STORE_ATTEMPT_TIMEOUT = "lea.store.attemptTimeout";
  public static final String STORE_ATTEMPT_TIMEOUT_DEFAULT = "PT2M";
  /** Deadline of one request to S3 or GCS with all its retries. */
  public static final String STORE_REQUEST_TIMEOUT = "lea.store.requestTimeout";
  public static final String STORE_REQUEST_TIMEOUT_DEFAULT = "PT5M";
  /** Size of the catalog lea:benchmark generates when it does not copy the real one. */
  public static final String BENCHMARK_SIZE = "lea.benchmark.size";
  public static final String BENCHMARK_SIZE_DEFAULT = "64MiB";
  /**
   * How many scripts and tests run at once. Empty: as many as lea's Python thread pool, min(32,
   * processors + 4) ({@code ThreadPoolExecutor(max_workers=None)} in lea's {@code session.py}).
   */
  public static final String THREADS = "lea.threads";
  public static final String THREADS_DEFAULT = "";

  private static final Map<String, Setting> ALL = new LinkedHashMap<>();
  private static final Map<String, DurationRange> DURATION_RANGES = new LinkedHashMap<>();
  private static final Map<ClassLoader, Map<String, Setting>> KNOWN = new WeakHashMap<>();
  private static final Map<String, Long> INTEGER_MINIMUMS = new LinkedHashMap<>();

  static {
    choice(WAREHOUSE, WAREHOUSE_DEFAULT, List.of("duckdb", "ducklake", "motherduck"),
        "Warehouse kind; inferred from the other keys when empty.");
    string(CATALOG_URL, null, "Remote DuckLake catalog (file:, s3:, r2:, gs:), synced each run.");
    string(CATALOG_DATABASE, null, "Local DuckLake catalog file, attached in place with no sync.");
    string(DATA_PATH, null, "DuckLake DATA_PATH; required when a catalog is created.");
    choice(CATALOG_FORMAT, CATALOG_FORMAT_DEFAULT, List.of("sqlite", "duckdb"),
        "Database format of the DuckLake catalog file.");
    provider(TRANSPORT, TRANSPORT_DEFAULT,
        "How the catalog file travels to and from the store.");
    choice(COMPRESSION, COMPRESSION_DEFAULT, List.of("none", "gzip", "zstd"),
        "Compression of the uploaded catalog (object-copy stream, parquet-blob codec, chunked"
            + " chunks).");
    provider(LOCK, LOCK_DEFAULT, "How concurrent writers are kept apart.");
    provider(ON_FAILURE, ON_FAILURE_DEFAULT,
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
    secret(DUCKLAKE_SECRET, "Kept for projects written for lea v0.18, which read"
        + " LEA_DUCKLAKE_SECRET (v0.19 replaced it with LEA_DUCKDB_SECRETS; use that): the body of"
        + " one DuckDB CREATE SECRET statement.");
    string(DUCKLAKE_S3_ENDPOINT, null, "Kept for projects written for lea before v0.18, which"
        + " read LEA_DUCKLAKE_S3_ENDPOINT (now an ENDPOINT in LEA_DUCKDB_SECRETS): DuckDB's"
        + " s3_endpoint.");
    string(DUCKDB_PATH, null, "Plain DuckDB warehouse file, local path or remote URL.");
    secret(DUCKDB_SECRETS, "DuckDB CREATE SECRET statements or secret settings, as in lea.");
    string(DUCKDB_EXTENSIONS, null, "Extra DuckDB extensions to load, comma separated.");
    string(EXTENSION_DIRECTORY, null, "DuckDB extension_directory, for offline setups.");
    string(EXTENSION_REPOSITORY, null, "DuckDB custom_extension_repository, for mirrors.");
    typed(ALLOW_UNSIGNED_EXTENSIONS, ALLOW_UNSIGNED_EXTENSIONS_DEFAULT, Setting.Type.BOOLEAN,
        "Allow unsigned DuckDB extensions (locally built or mirrored).");
    string(USERNAME, null, "Dev environment suffix; dev runs write to <name>_<username>"
        + " (default: the operating system user, Java's user.name, as lea uses the login name).");
    typed(LOCK_TTL, LOCK_TTL_DEFAULT, Setting.Type.DURATION,
        "How long a lock lives without a heartbeat.");
    typed(LOCK_WAIT, LOCK_WAIT_DEFAULT, Setting.Type.DURATION,
        "How long to wait for a lock held by someone else.");
    string(CACHE_DIR, CACHE_DIR_DEFAULT, "Where the last downloaded catalog is cached.");
    typed(CACHE_ENABLED, CACHE_ENABLED_DEFAULT, Setting.Type.BOOLEAN,
        "Keep the last downloaded catalog to skip unchanged downloads.");
    string(WORK_DIR, null, "Private directory for the session's local files (default: a new"
        + " owner-only temporary directory).");
    typed(TRANSFER_TIMEOUT, TRANSFER_TIMEOUT_DEFAULT, Setting.Type.DURATION,
        "Longest a catalog download or upload may take before the run gives up on it.");
    typed(TRANSFER_PROGRESS, TRANSFER_PROGRESS_DEFAULT, Setting.Type.DURATION,
        "How often a running catalog transfer logs its progress in batch mode (-B, CI);"
        + " a terminal's progress line is rewritten every second.");
    typed(GC_GRACE, GC_GRACE_DEFAULT, Setting.Type.DURATION,
        "lea:gc deletes unreferenced chunks (chunked transport) older than this; at least P1D.");
    string(SCRIPTS, SCRIPTS_DEFAULT, "The scripts folder, relative to the project directory.");
    string(TESTS, TESTS_DEFAULT, "The singular tests folder, relative to the project directory.");
    string(SELECT, null, "Scripts to run: core.orders, core/, core.orders+, +core.orders.");
    string(UNSELECT, null, "Scripts not to run, same syntax as lea.select.");
    typed(DRY_RUN, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Build and test the audit tables; promote and upload nothing.");
    typed(RESTART, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Run every selected script again.");
    typed(PRODUCTION, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Write to the configured names.");
    typed(FRESH, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Start from an empty warehouse.");
    string(INCREMENTAL, null, "Incremental field and values: field=v1,v2.");
    typed(PRINT, FLAG_DEFAULT, Setting.Type.BOOLEAN, "lea's --print: print the rendered SQL of"
        + " the selected scripts and tests in run order; nothing is locked, run or uploaded.");
    string(ENV_FILE, null, "lea's --env-file: the .env file to read (relative to the project"
        + " directory) instead of <project>/.env; it must exist.");
    string(DATASET, null, "lea's --dataset: the warehouse's base name, replacing the name of the"
        + " DuckDB file, catalog file or MotherDuck database (the dev suffix still applies).");
    string(MOTHERDUCK_DATABASE, null, "MotherDuck database for lea.warehouse=motherduck, attached"
        + " directly with no sync; the token is read from MOTHERDUCK_TOKEN as lea reads it.");
    typed(STORE_ATTEMPT_TIMEOUT, STORE_ATTEMPT_TIMEOUT_DEFAULT, Setting.Type.DURATION,
        "S3/GCS: deadline of one request attempt; a download fails when a part's worth of bytes"
            + " does not arrive within it (a trickling or silent endpoint).");
    typed(STORE_REQUEST_TIMEOUT, STORE_REQUEST_TIMEOUT_DEFAULT, Setting.Type.DURATION,
        "S3/GCS: deadline of one request including its retries.");
    typed(DROP_ORPHANS, FLAG_DEFAULT, Setting.Type.BOOLEAN, "Allow a full run to drop more than"
        + " half of the tables it built as orphans (their scripts are gone).");
    typed(BENCHMARK_SIZE, BENCHMARK_SIZE_DEFAULT, Setting.Type.SIZE, "lea:benchmark: size of the"
        + " generated catalog it round-trips; when not set and the catalog exists, a copy of the"
        + " catalog's bytes is used instead.");
    typed(THREADS, THREADS_DEFAULT, Setting.Type.INTEGER, "Scripts and tests run at once where"
        + " the DAG allows, each on its own DuckDB connection; empty: lea's min(32, processors +"
        + " 4); 1 runs them one at a time. A DuckLake catalog in SQLite always runs one at a time.");
    atLeast(THREADS, 1);
    bounded(LOCK_TTL, Duration.ofSeconds(1), Duration.ofDays(1));
    bounded(LOCK_WAIT, Duration.ZERO, Duration.ofDays(1));
  }

  /** The smallest and largest value a duration setting accepts. */
  record DurationRange(Duration min, Duration max) {
    boolean contains(Duration value) {
      return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }
  }

  private static void bounded(String property, Duration min, Duration max) {
    DURATION_RANGES.put(property, new DurationRange(min, max));
  }

  private static void atLeast(String property, long minimum) {
    INTEGER_MINIMUMS.put(property, minimum);
  }

  /** The smallest value an integer setting accepts, when it has one. */
  static Optional<Long> integerMinimum(String property) {
    return Optional.ofNullable(INTEGER_MINIMUMS.get(property));
  }

  /** The range of a duration setting: its own, else from zero to ten years. */
  static DurationRange durationRange(String property) {
    return DURATION_RANGES.getOrDefault(property,
        new DurationRange(Duration.ZERO, DURATION_MAX_DEFAULT));
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

  private static void provider(String property, String def, String description) {
    put(new Setting(property, def, Setting.Type.PROVIDER, List.of(), false, description));
  }

  /**
   * Every known setting, in documentation order: the built-in ones, then those of each
   * {@link SettingsContributor} on the classpath (the stores').
   */
  public static List<Setting> all() {
    return Collections.unmodifiableList(new ArrayList<>(known().values()));
  }

  /** The setting for a property name, or {@code null}. */
  public static Setting byProperty(String property) {
    return known().get(property);
  }

  /** The setting for an environment variable name, or {@code null}. */
  public static Setting byEnvironmentName(String name) {
    for (Setting setting : known().values()) {
      if (setting.environmentName().equals(name)) {
        return setting;
      }
    }
    return null;
  }

  /**
   * The built-in settings and the contributed ones, looked up once per context class loader (a
   * Maven plugin's realm sees the store jars its build declares).
   */
  private static Map<String, Setting> known() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    synchronized (KNOWN) {
      return KNOWN.computeIfAbsent(context, loader -> {
        Map<String, Setting> known = new LinkedHashMap<>(ALL);
        for (SettingsContributor contributor : Providers.all(SettingsContributor.class)) {
          for (Setting setting : contributor.settings()) {
            Setting before = known.putIfAbsent(setting.property(), setting);
            if (before != null && !before.equals(setting)) {
              throw new IllegalStateException("Two different settings " + setting.property()
                  + ": " + before + " and " + setting + " from " + contributor.getClass());
            }
          }
        }
        return Collections.unmodifiableMap(known);
      });
    }
  }
}
