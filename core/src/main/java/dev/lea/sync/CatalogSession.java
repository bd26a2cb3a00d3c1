package dev.lea.sync;

import dev.lea.LeaException;
import dev.lea.Reporter;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.duckdb.DuckDb;
import dev.lea.duckdb.DuckLake;
import dev.lea.lock.CatalogLock;
import dev.lea.lock.LockRequest;
import dev.lea.lock.LockStrategies;
import dev.lea.policy.Disposition;
import dev.lea.policy.FailureContext;
import dev.lea.policy.FailurePolicies;
import dev.lea.policy.FailurePolicy;
import dev.lea.store.Condition;
import dev.lea.store.LocalFiles;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogIntegrityException;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.Download;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * An open warehouse: the DuckDB connection with the catalog attached, plus everything needed to
 * put the catalog back. Finish it with {@link #commit()} or {@link #fail(Throwable)}; {@link
 * #close()} without either is a failure. Whatever happens, the lock is released and the session's
 * local files are removed, and a catalog that cannot go where it should is kept aside, never lost.
 */
public final class CatalogSession implements AutoCloseable {

  private static final DateTimeFormatter KEY_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final LeaConfig config;
  private final Reporter reporter;
  private final CatalogTarget target;
  private final String runId;
  private final boolean readOnly;

  private ObjectStore store;
  private CatalogTransport transport;
  private FailurePolicy policy;
  private CatalogLock lock;
  private CatalogCache cache;
  private Path workDirectory;
  private Path localCatalog;
  private String versionAtDownload;
  private String shaAtDownload;
  private Connection connection;
  private Thread shutdownHook;
  private SyncResult result;
  private java.time.Duration maintenanceAge;

  private CatalogSession(LeaConfig config, Reporter reporter, CatalogTarget target) {
    this.config = config;
    this.reporter = reporter;
    this.target = target;
    this.runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    this.readOnly = config.flag(LeaSettings.READ_ONLY);
  }

  static CatalogSession open(LeaConfig config, Reporter reporter) {
    CatalogTarget target = CatalogTarget.resolve(config);
    CatalogSession session = new CatalogSession(config, reporter, target);
    try {
      session.start();
      return session;
    } catch (RuntimeException e) {
      session.abandon();
      throw e;
    }
  }

  private void start() {
    boolean duckLake = target.kind() != CatalogTarget.Kind.DUCKDB;
    maintenanceAge = duckLake && !readOnly ? DuckLake.maintenanceAge(config).orElse(null) : null;
    if (target.synced()) {
      transport = CatalogTransports.named(config.get(LeaSettings.TRANSPORT));
      policy = FailurePolicies.named(config.get(LeaSettings.ON_FAILURE));
      store = ObjectStores.open(target.remote(), config);
      if (duckLake && config.find(LeaSettings.DATA_PATH).isEmpty()) {
        requireExistingCatalog();
      }
    }
    if (duckLake) {
      connection = DuckDb.open(null, config);
      DuckLake.loadExtensions(connection, target.format(), config);
      // Secrets first: the attach may already need them to reach the data path.
      DuckDb.createSecrets(connection, config);
    }
    if (!target.synced()) {
      if (duckLake) {
        DuckLake.attach(connection, DuckLake.catalogSpec(target.format(), target.local()),
            Files.exists(Path.of(target.local())) || target.kind()
                == CatalogTarget.Kind.DUCKLAKE_POSTGRES, readOnly, config);
      } else {
        connection = DuckDb.open(target.local(), config);
        DuckDb.createSecrets(connection, config);
      }
      return;
    }
    var lockStrategy = LockStrategies.named(config.get(LeaSettings.LOCK));
    try {
      workDirectory = LocalFiles.createPrivateTempDirectory(
          config.path(LeaSettings.WORK_DIR).orElse(null), "lea-session-");
      localCatalog = workDirectory.resolve(fileName());
      if (!readOnly) {
        lock = lockStrategy.acquire(new LockRequest(store, key(), "run", runId, config, reporter));
      }
      download();
    } catch (IOException e) {
      throw LeaException.infrastructure("Cannot open catalog " + target.describe() + ": "
          + e.getMessage(), e);
    }
    boolean exists = versionAtDownload != null;
    if (!exists && readOnly) {
      throw LeaException.user("Cannot open catalog " + target.describe()
          + " read-only: it does not exist yet. Run once without lea.ducklake.readOnly to"
          + " create it.");
    }
    if (duckLake) {
      DuckLake.attach(connection, DuckLake.catalogSpec(target.format(), localCatalog.toString()),
          exists, readOnly, config);
    } else {
      connection = DuckDb.open(localCatalog.toString(), config);
      DuckDb.createSecrets(connection, config);
    }
    try {
      // DuckDB creates a fresh catalog with the umask's mode; the directory is owner-only, and
      // so is the file from here on.
      LocalFiles.restrictToOwner(localCatalog);
    } catch (IOException e) {
      throw LeaException.infrastructure("Cannot restrict " + localCatalog + " to its owner: "
          + e.getMessage(), e);
    }
    shutdownHook = new Thread(this::onShutdown, "lea-session-" + runId + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A new DuckLake needs a DATA_PATH; say so before loading extensions or taking a lock. */
  private void requireExistingCatalog() {
    boolean exists;
    try {
      exists = store.head(key()).isPresent();
    } catch (IOException e) {
      throw LeaException.infrastructure("Cannot open catalog " + target.describe() + ": "
          + e.getMessage(), e);
    }
    if (!exists) {
      throw missingDataPath();
    }
  }

  private LeaException missingDataPath() {
    return LeaException.user("Cannot create DuckLake catalog " + target.describe()
        + ": no catalog exists there yet and " + LeaSettings.DATA_PATH
        + " (LEA_DUCKLAKE_DATA_PATH) is not set. Set it to where table data should live,"
        + " e.g. s3://bucket/lake/data/ or a local folder.");
  }

  private void download() throws IOException {
    boolean useCache = config.flag(LeaSettings.CACHE_ENABLED)
        && config.path(LeaSettings.CACHE_DIR).isPresent();
    cache = useCache ? CatalogCache.of(config.path(LeaSettings.CACHE_DIR).get(), target.remote())
        : null;
    var cached = cache == null ? java.util.Optional.<CatalogCache.Entry>empty() : cache.lookup();
    if (cached.isPresent() && !cache.restore(cached.get(), localCatalog)) {
      reporter.warn("The cached catalog was corrupt and is discarded; downloading again.");
      cached = java.util.Optional.empty();
    }
    // With the cached copy already in place, an unchanged remote costs one conditional read, and
    // a transport that can reuse local bytes (chunked) fetches only what changed.
    long started = System.nanoTime();
    Download download;
    try {
      download = transport.download(store, key(), localCatalog,
          cached.map(CatalogCache.Entry::version).orElse(null), config);
    } catch (CatalogIntegrityException e) {
      throw new LeaException(LeaException.Kind.INFRASTRUCTURE, e.getMessage(), e);
    }
    if (download.status() == ReadResult.Status.NOT_MODIFIED) {
      versionAtDownload = cached.get().version();
      shaAtDownload = cached.get().sha256();
      reporter.info("Catalog " + target.describe() + " unchanged since the last run; using"
          + " the cached copy (" + Sizes.format(cached.get().size()) + ")");
      return;
    }
    if (download.status() == ReadResult.Status.NOT_FOUND && cached.isPresent()) {
      Files.deleteIfExists(localCatalog);
      cache.discard();
    }
    if (download.status() == ReadResult.Status.NOT_FOUND) {
      if (target.kind() == CatalogTarget.Kind.DUCKLAKE
          && config.find(LeaSettings.DATA_PATH).isEmpty()) {
        throw missingDataPath();
      }
      reporter.info("No catalog at " + target.describe() + " yet; starting a fresh one.");
      return;
    }
    versionAtDownload = download.info().version();
    shaAtDownload = download.sha256();
    LocalFiles.restrictToOwner(localCatalog);
    reporter.info("Downloaded catalog " + target.describe() + " (" + Sizes.format(download.size())
        + ") in " + Sizes.seconds(System.nanoTime() - started));
    if (cache != null) {
      cache.store(localCatalog, versionAtDownload, shaAtDownload);
    }
  }

  /** The DuckDB connection; for DuckLake, the catalog is attached as {@code my_ducklake} and in use. */
  public Connection connection() {
    if (connection == null) {
      throw new IllegalStateException("The session is finished");
    }
    return connection;
  }

  /** This run's id, as written in lock bodies and in the keys of kept-aside catalogs. */
  public String runId() {
    return runId;
  }

  /** True when no remote catalog existed and this session started a new one. */
  public boolean startedFresh() {
    return target.synced() && versionAtDownload == null;
  }

  /** The remote catalog's version when it was downloaded, or null when fresh or not synced. */
  public String versionAtDownload() {
    return versionAtDownload;
  }

  /** The result once finished, else null. */
  public synchronized SyncResult result() {
    return result;
  }

  /**
   * The run succeeded: checkpoint, compact, and upload the catalog (skipped when unchanged), fenced
   * against concurrent writers, then release the lock.
   *
   * @throws LeaException when another writer won ({@code RUN}: the catalog is kept aside and the
   *     message says where) or the store failed ({@code INFRASTRUCTURE}: kept aside too)
   */
  public synchronized SyncResult commit() {
    if (result != null) {
      return result;
    }
    try {
      if (maintenanceAge != null && connection != null) {
        reporter.info("Running DuckLake maintenance (expire and clean up older than "
            + maintenanceAge + ", merge adjacent files)");
        DuckLake.maintain(connection, maintenanceAge);
      }
      closeConnection(true);
      if (!target.synced() || readOnly) {
        result = new SyncResult(SyncResult.Outcome.NOT_SYNCED, target.describe(), null, -1,
            readOnly ? "Read-only session; nothing uploaded." : "Local catalog "
                + target.describe() + " used in place.");
        return result;
      }
      result = uploadMain(null);
      return result;
    } finally {
      finish();
    }
  }

  /**
   * The run failed: the failure policy decides where the catalog goes; the lock is released.
   * Returns where it went; throws only when that itself failed (and then says where it is kept).
   */
  public synchronized SyncResult fail(Throwable cause) {
    if (result != null) {
      return result;
    }
    try {
      closeConnection(false);
      if (!target.synced() || readOnly) {
        result = new SyncResult(SyncResult.Outcome.NOT_SYNCED, target.describe(), null, -1,
            readOnly ? "Read-only session; nothing uploaded." : "Local catalog "
                + target.describe() + " used in place; it keeps what the run wrote.");
        return result;
      }
      Instant now = Instant.now();
      Disposition disposition =
          policy.onFailure(new FailureContext(key(), runId, now, cause));
      result = switch (disposition.target()) {
        case MAIN -> uploadMain(cause);
        case ASIDE -> uploadAside(disposition.key(), "failed run");
        case LOCAL -> keepLocal("The run failed; the remote catalog was left as it was ("
            + policy.name() + ").");
      };
      return result;
    } finally {
      finish();
    }
  }

  /**
   * A dry run: the local copy holds only what the run built to test; nothing is uploaded, whatever
   * the failure policy, and the lock is released.
   */
  public synchronized SyncResult discard() {
    if (result != null) {
      return result;
    }
    try {
      closeConnection(false);
      result = new SyncResult(SyncResult.Outcome.NOT_SYNCED, target.describe(), null, -1,
          target.synced() ? "Dry run; nothing uploaded." : "Dry run; local catalog "
              + target.describe() + " used in place.");
      return result;
    } finally {
      finish();
    }
  }

  /** Finishes as failed unless already committed or failed, then releases everything. */
  @Override
  public void close() {
    SyncResult finished;
    synchronized (this) {
      finished = result;
    }
    if (finished == null) {
      SyncResult failed = fail(new IllegalStateException("session closed without commit"));
      reporter.warn("Session closed without commit: treated as a failure. " + failed.message());
    }
  }

  private SyncResult uploadMain(Throwable failure) {
    boolean unchanged = versionAtDownload != null && cache != null
        && cache.holdsUnchanged(versionAtDownload, localCatalog);
    String sha = null;
    if (!unchanged) {
      try {
        sha = LocalFiles.sha256(localCatalog);
      } catch (IOException e) {
        throw LeaException.infrastructure("Cannot read local catalog " + localCatalog + ": "
            + e.getMessage(), e);
      }
    }
    if (unchanged || sha.equals(shaAtDownload)) {
      reporter.info("Catalog unchanged; nothing to upload.");
      return new SyncResult(SyncResult.Outcome.UNCHANGED, target.describe(), versionAtDownload,
          0, "Catalog " + target.describe() + " unchanged; nothing uploaded.");
    }
    try {
      Compactor.compact(localCatalog, target.format(), reporter);
      sha = LocalFiles.sha256(localCatalog);
    } catch (IOException e) {
      reporter.warn("Could not compact the catalog (" + e.getMessage() + "); uploading as is.");
    }
    Condition fence = lock != null ? lock.fence(versionAtDownload) : Condition.none();
    long size;
    try {
      size = Files.size(localCatalog);
      long started = System.nanoTime();
      ObjectInfo uploaded = transport.upload(store, key(), localCatalog,
          new CatalogFile(sha, size, target.format()), fence, config);
      reporter.info("Uploaded catalog " + target.describe() + " (" + Sizes.format(size) + ") in "
          + Sizes.seconds(System.nanoTime() - started));
      if (cache != null) {
        cache.store(localCatalog, uploaded.version(), sha);
      }
      String message = failure == null
          ? "Catalog uploaded to " + target.describe() + "."
          : "The run failed; its partial catalog was uploaded to " + target.describe() + " ("
              + policy.name() + ").";
      return new SyncResult(SyncResult.Outcome.UPLOADED, target.describe(), uploaded.version(),
          size, message);
    } catch (PreconditionFailedException e) {
      return conflict(failure);
    } catch (IOException e) {
      SyncResult kept = keepLocal("The upload failed.");
      throw LeaException.infrastructure("Cannot upload catalog " + target.describe() + ": "
          + sentence(e.getMessage()) + " " + kept.message(), e);
    }
  }

  private SyncResult conflict(Throwable failure) {
    String conflictKey = key() + ".conflict-" + KEY_TIMESTAMP.format(Instant.now()) + "-" + runId;
    SyncResult kept = keepLocal("");
    String uploadedAs = "";
    try {
      Path keptFile = Path.of(kept.where());
      transport.upload(store, conflictKey, keptFile, new CatalogFile(LocalFiles.sha256(keptFile),
          Files.size(keptFile), target.format()), Condition.ifAbsent(), config);
      uploadedAs = " and uploaded as " + target.remote().withSuffix(
          conflictKey.substring(key().length()));
    } catch (IOException e) {
      uploadedAs = " (uploading a copy beside the catalog failed too: " + e.getMessage() + ")";
    }
    String message = "Cannot upload catalog " + target.describe() + ": another writer changed it"
        + " after this run downloaded it" + (versionAtDownload == null ? " (it was created)"
            : " (this run had version " + versionAtDownload + ")")
        + ". Nothing was overwritten. This run's catalog is kept at " + kept.where() + uploadedAs
        + ". Run again to redo the work on top of the current catalog, or use a lock-file lock"
        + " so runs wait for each other.";
    if (failure != null) {
      return new SyncResult(SyncResult.Outcome.KEPT_LOCAL, kept.where(), null, -1, message);
    }
    result = new SyncResult(SyncResult.Outcome.KEPT_LOCAL, kept.where(), null, -1, message);
    throw new LeaException(LeaException.Kind.RUN, message);
  }

  private SyncResult uploadAside(String asideKey, String why) {
    try {
      long size = Files.size(localCatalog);
      ObjectInfo uploaded = transport.upload(store, asideKey, localCatalog,
          new CatalogFile(LocalFiles.sha256(localCatalog), size, target.format()),
          Condition.ifAbsent(), config);
      String where = target.remote().withSuffix(asideKey.substring(key().length())).toString();
      return new SyncResult(SyncResult.Outcome.UPLOADED_ASIDE, where, uploaded.version(), size,
          "The " + why + "'s catalog was uploaded to " + where + "; " + target.describe()
              + " was left as it was (" + policy.name() + ").");
    } catch (IOException e) {
      return keepLocal("Uploading the " + why + "'s catalog beside " + target.describe()
          + " failed (" + e.getMessage() + ").");
    }
  }

  /** Moves the local catalog to the cache directory's {@code kept/}, where it survives cleanup. */
  private SyncResult keepLocal(String why) {
    try {
      Path keptDirectory = config.path(LeaSettings.CACHE_DIR)
          .orElse(workDirectory.getParent()).resolve("kept");
      LocalFiles.createPrivateDirectories(keptDirectory.getParent());
      LocalFiles.createPrivateDirectories(keptDirectory);
      Path kept = keptDirectory.resolve(KEY_TIMESTAMP.format(Instant.now()) + "-" + runId + "-"
          + fileName());
      Files.move(localCatalog, kept);
      // A fresh catalog was created by DuckDB with the umask's mode; kept files outlive the
      // private work directory, so they must be owner-only themselves.
      LocalFiles.restrictToOwner(kept);
      return new SyncResult(SyncResult.Outcome.KEPT_LOCAL, kept.toString(), null, Files.size(kept),
          (why.isEmpty() ? "" : why + " ") + "The catalog is kept at " + kept + ".");
    } catch (IOException e) {
      workDirectory = null;
      return new SyncResult(SyncResult.Outcome.KEPT_LOCAL, localCatalog.toString(), null, -1,
          (why.isEmpty() ? "" : why + " ") + "The catalog is kept at " + localCatalog + ".");
    }
  }

  private void closeConnection(boolean mustSucceed) {
    if (connection == null) {
      return;
    }
    Connection closing = connection;
    connection = null;
    try {
      if (target.kind() == CatalogTarget.Kind.DUCKDB) {
        if (!readOnly) {
          DuckDb.execute(closing, "CHECKPOINT");
        }
      } else {
        DuckLake.detach(closing);
      }
      closing.close();
    } catch (SQLException e) {
      DuckDb.closeQuietly(closing);
      if (mustSucceed) {
        throw LeaException.infrastructure("Cannot close the catalog cleanly: " + e.getMessage()
            + ". Nothing was uploaded.", e);
      }
    }
    if (localCatalog != null && Files.exists(Path.of(localCatalog + ".wal")) && mustSucceed) {
      throw LeaException.infrastructure("Cannot upload catalog " + target.describe()
          + ": DuckDB left a write-ahead log next to it, so the file alone is incomplete.");
    }
  }

  private void finish() {
    if (lock != null) {
      try {
        lock.close();
      } catch (RuntimeException e) {
        reporter.warn("Could not release the lock: " + e.getMessage());
      }
      lock = null;
    }
    cleanUp();
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already exiting; the hook finds the session finished and does nothing.
      }
    }
  }

  private void cleanUp() {
    if (workDirectory != null) {
      try {
        LocalFiles.deleteRecursively(workDirectory);
      } catch (IOException e) {
        reporter.warn("Could not remove " + workDirectory + ": " + e.getMessage());
      }
    }
    if (store != null) {
      try {
        store.close();
      } catch (IOException e) {
        reporter.warn("Could not close the store: " + e.getMessage());
      }
      store = null;
    }
  }

  /** A failure while opening: release what was taken, keep nothing. */
  private void abandon() {
    DuckDb.closeQuietly(connection);
    connection = null;
    if (lock != null) {
      lock.close();
      lock = null;
    }
    cleanUp();
  }

  private void onShutdown() {
    synchronized (this) {
      if (result != null) {
        return;
      }
    }
    SyncResult failed = fail(new InterruptedException("the JVM is shutting down"));
    reporter.warn("Interrupted: " + failed.message());
  }

  /** Store messages may or may not end with a full stop; joined sentences need exactly one. */
  private static String sentence(String text) {
    String trimmed = text == null ? "" : text.strip();
    return trimmed.endsWith(".") ? trimmed : trimmed + ".";
  }

  private String key() {
    return target.remote().key();
  }

  private String fileName() {
    String key = target.remote().key();
    String name = key.substring(key.lastIndexOf('/') + 1);
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
  }
}
