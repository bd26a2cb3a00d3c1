package dev.lea.maven;

import dev.lea.Scrubber;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.io.File;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every goal shares: configuration resolution and error translation. The goals stay thin; the
 * work is in {@link dev.lea.Lea}, which other front-ends call the same way.
 *
 * <p>Parameters set in the POM's {@code <configuration>} are passed as explicit configuration;
 * {@code -Dlea.*} user properties are passed separately and win, as SPEC §5 orders them.
 */
abstract class AbstractLeaMojo extends AbstractMojo {

  /**
   * The goals' own {@code -D} properties, which are not settings: every other unknown
   * {@code lea.*} property fails the build naming the setting that was meant.
   */
  static final Set<String> GOAL_PROPERTIES =
      Set.of("lea.projectDirectory", "lea.skip", "lea.unlockId", "lea.reportsDirectory");

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  /** The lea project: scripts, tests and {@code .env} are found here. */
  @Parameter(property = "lea.projectDirectory", defaultValue = "${basedir}")
  protected File projectDirectory;

  /** Skip the goal. */
  @Parameter(property = "lea.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * The warehouse: {@code duckdb}, {@code ducklake} or {@code motherduck}; inferred from the other
   * settings when empty.
   */
  @Parameter(property = LeaSettings.WAREHOUSE)
  protected String warehouse;

  /** A DuckLake catalog in a bucket ({@code file:}, {@code s3:}, {@code r2:}, {@code gs:}). */
  @Parameter(property = LeaSettings.CATALOG_URL)
  protected String catalogUrl;

  /** A local DuckLake catalog file, attached in place with no sync. */
  @Parameter(property = LeaSettings.CATALOG_DATABASE)
  protected String catalogDatabase;

  /**
   * Where DuckLake writes table data, e.g. {@code s3://bucket/lake/data/}; required when the
   * catalog is created.
   */
  @Parameter(property = LeaSettings.DATA_PATH)
  protected String dataPath;

  /** The catalog file's database format: {@code sqlite} or {@code duckdb}. */
  @Parameter(property = LeaSettings.CATALOG_FORMAT)
  protected String catalogFormat;

  /**
   * How the catalog file travels to and from the bucket: {@code object-copy},
   * {@code parquet-blob} or {@code chunked}.
   */
  @Parameter(property = LeaSettings.TRANSPORT)
  protected String transport;

  /** Compression of the uploaded catalog: {@code none}, {@code gzip} or {@code zstd}. */
  @Parameter(property = LeaSettings.COMPRESSION)
  protected String compression;

  /**
   * How concurrent writers are kept apart: {@code lock-file}, {@code conditional-write} or
   * {@code none}.
   */
  @Parameter(property = LeaSettings.LOCK)
  protected String lock;

  /**
   * Where the catalog of a failed run goes: {@code upload-always}, {@code upload-aside} or
   * {@code upload-on-success}.
   */
  @Parameter(property = LeaSettings.ON_FAILURE)
  protected String onFailure;

  /** A plain DuckDB warehouse file: a local path or a bucket URL. */
  @Parameter(property = LeaSettings.DUCKDB_PATH)
  protected String duckdbPath;

  /** The suffix of the dev environment: dev runs write to {@code <name>_<username>}. */
  @Parameter(property = LeaSettings.USERNAME)
  protected String username;

  /** Any other setting by its property name, e.g. {@code <lea.lock.ttl>PT5M</lea.lock.ttl>}. */
  @Parameter
  protected Map<String, String> settings;

  /** Resolves configuration from defaults, .env, environment, this configuration and -D. */
  protected LeaConfig resolveConfig() throws MojoFailureException {
    Map<String, String> configured = new LinkedHashMap<>();
    if (settings != null) {
      configured.putAll(settings);
    }
    put(configured, LeaSettings.WAREHOUSE, warehouse);
    put(configured, LeaSettings.CATALOG_URL, catalogUrl);
    put(configured, LeaSettings.CATALOG_DATABASE, catalogDatabase);
    put(configured, LeaSettings.DATA_PATH, dataPath);
    put(configured, LeaSettings.CATALOG_FORMAT, catalogFormat);
    put(configured, LeaSettings.TRANSPORT, transport);
    put(configured, LeaSettings.COMPRESSION, compression);
    put(configured, LeaSettings.LOCK, lock);
    put(configured, LeaSettings.ON_FAILURE, onFailure);
    put(configured, LeaSettings.DUCKDB_PATH, duckdbPath);
    put(configured, LeaSettings.USERNAME, username);
    Properties userProperties = new Properties();
    userProperties.putAll(System.getProperties());
    if (session != null) {
      userProperties.putAll(session.getUserProperties());
    }
    try {
      LeaConfig config = ConfigResolver.builder()
          .projectDirectory(projectDirectory.toPath())
          .environment(System.getenv())
          .configuration(configured)
          .systemProperties(userProperties)
          .acceptedKeys(GOAL_PROPERTIES)
          .resolve();
      config.warnings().forEach(getLog()::warn);
      return config;
    } catch (LeaException e) {
      Map<String, String> given = new LinkedHashMap<>(configured);
      userProperties.stringPropertyNames().forEach(k -> given.put(k, userProperties.getProperty(k)));
      throw new MojoFailureException(Scrubber.of(System.getenv(), given).scrub(e.getMessage()));
    }
  }

  private static void put(Map<String, String> target, String key, String value) {
    if (value != null && !value.isBlank()) {
      target.put(key, value);
    }
  }

  /**
   * Maven's log as a {@link Reporter}. A transfer's progress rewrites one line on a terminal;
   * in batch mode ({@code -B}, CI) it adds a line every {@code lea.transfer.progress}.
   */
  protected Reporter reporter() {
    return reporter(logReporter(), session != null && session.getRequest().isInteractiveMode(),
        System.console() != null, System.out);
  }

  /** In place only for an interactive build on a console: not {@code -B}, not piped to a log. */
  static Reporter reporter(Reporter log, boolean interactive, boolean console, PrintStream out) {
    return interactive && console ? Reporter.inPlace(log, out, "[INFO] ") : log;
  }

  private Reporter logReporter() {
    Log log = getLog();
    return new Reporter() {
      @Override
      public void info(String message) {
        message.lines().forEach(log::info);
      }

      @Override
      public void warn(String message) {
        message.lines().forEach(log::warn);
      }

      @Override
      public void debug(String message) {
        log.debug(message);
      }
    };
  }

  /**
   * The user's fault or a failed run is a build failure; the store's or machine's is an execution
   * error. Messages are already written for people, so no stack trace unless {@code -e}.
   */
  protected static Exception translate(LeaException e) {
    return switch (e.kind()) {
      case USER, RUN -> new MojoFailureException(e.getMessage(), e);
      case INFRASTRUCTURE -> new MojoExecutionException(e.getMessage(), e);
    };
  }

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping (lea.skip=true)");
      return;
    }
    LeaConfig config = resolveConfig();
    try {
      run(config);
    } catch (LeaException e) {
      Exception translated = translate(e);
      if (translated instanceof MojoFailureException failure) {
        throw failure;
      }
      throw (MojoExecutionException) translated;
    }
  }

  protected abstract void run(LeaConfig config) throws MojoExecutionException, MojoFailureException;
}
