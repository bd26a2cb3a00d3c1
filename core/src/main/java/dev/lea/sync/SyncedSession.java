package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.lock.CatalogLock;
import dev.lea.lock.LockInfo;
import dev.lea.lock.LockRequest;
import dev.lea.lock.LockStrategies;
import dev.lea.lock.LockStrategy;
import dev.lea.policy.Disposition;
import dev.lea.policy.FailureContext;
import dev.lea.policy.FailurePolicies;
import dev.lea.policy.FailurePolicy;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A warehouse whose catalog lives in a bucket: downloaded (or taken from the cache) into a
 * private work directory, attached, and put back when the session finishes.
 *
 * <p>It is a composition: a {@link Downloader} says what the session started from, an
 * {@link Uploader} says where a catalog went, and a {@link CloseStack} releases what was taken
 * (store, work directory, lock, connection, shutdown hook) in reverse order. Every way of
 * finishing ends in the work directory's release, which keeps a catalog that no store holds.
 */
final class SyncedSession extends AttachedSession {

  private static final DateTimeFormatter KEY_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final LeaConfig config;
  private final CatalogTarget target;
  private final boolean readOnly;
  private final FailurePolicy policy;
  private final ObjectStore store;
  private final LockStrategy lockStrategy;
  private final CatalogLock lock;
  private final WorkDirectory work;
  private final Optional<CatalogCache> cache;
  private final Fetched fetched;
  private final Uploader uploader;
  private final CloseStack resources;
  private final Duration maintenanceAge;

  private SyncedSession(Builder b) {
    super(b.runId, b.catalog, b.reporter);
    this.config = b.config;
    this.target = b.target;
    this.readOnly = b.readOnly;
    this.policy = b.policy;
    this.store = b.store;
    this.lockStrategy = b.lockStrategy;
    this.lock = b.lock;
    this.work = b.work;
    this.cache = b.cache;
    this.fetched = b.fetched;
    this.uploader = b.uploader;
    this.resources = b.resources;
    this.maintenanceAge = b.maintenanceAge;
  }

  /** What {@link #open} gathers, in the order it is taken. */
  private static final class Builder {
    LeaConfig config;
    Reporter reporter;
    CatalogTarget target;
    String runId;
    boolean readOnly;
    FailurePolicy policy;
    ObjectStore store;
    LockStrategy lockStrategy;
    CatalogLock lock;
    WorkDirectory work;
    Optional<CatalogCache> cache;
    Fetched fetched;
    OpenCatalog catalog;
    Uploader uploader;
    CloseStack resources;
    Duration maintenanceAge;
  }

  static String newRunId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static SyncedSession open(CatalogTarget target, LeaConfig config, Reporter reporter) {
    Builder b = new Builder();
    b.config = config;
    b.reporter = reporter;
    b.target = target;
    b.runId = newRunId();
    b.readOnly = config.flag(LeaSettings.READ_ONLY);
    boolean duckLake = target.kind() != CatalogTarget.Kind.DUCKDB;
    b.maintenanceAge = duckLake && !b.readOnly
        ? DuckLake.maintenanceAge(config).orElse(null) : null;
    CatalogTransport transport = CatalogTransports.configured(config);
    b.policy = FailurePolicies.configured(config);
    b.lockStrategy = LockStrategies.configured(config);
    Transfers transfers = new Transfers(config, reporter);
    b.resources = new CloseStack(reporter);
    try {
      b.store = ObjectStores.open(target.remote(), config);
      b.resources.push("the store", b.store::close);
      if (duckLake && config.find(LeaSettings.DATA_PATH).isEmpty()
          && b.store.head(target.remote().key()).isEmpty()) {
        throw missingDataPath(target);
      }
      b.catalog = OpenCatalog.prepare(target, b.readOnly, config);
      Preparation.WorkFactory works = () -> WorkDirectory.create(config, fileName(target),
          KEY_TIMESTAMP.format(Instant.now()) + "-" + b.runId + "-" + fileName(target),
          reporter);
      LockTaking locking = b.readOnly ? null : LockTaking.start(b.lockStrategy,
          new LockRequest(b.store, target.remote().key(), "run", b.runId, config, reporter));
      Preparation.Prepared prepared;
      try {
        prepared = Preparation.run(works, config, target, reporter, b.catalog,
            locking != null && target.kind() == CatalogTarget.Kind.DUCKDB);
      } catch (IOException | RuntimeException e) {
        b.catalog.closeQuietly();
        if (locking != null) {
          locking.release(e);
        }
        throw e;
      }
      if (locking != null) {
        try {
          b.lock = locking.await();
        } catch (IOException | RuntimeException e) {
          // The connection closes before the work directory, which gives a taken file back.
          b.catalog.closeQuietly();
          try {
            prepared.work().close();
          } catch (IOException | RuntimeException alsoFailed) {
            e.addSuppressed(alsoFailed);
          }
          throw e;
        }
      }
      b.work = prepared.work();
      b.cache = prepared.cache();
      if (b.lock == null) {
        b.resources.push("the work directory " + b.work.path(), b.work::close);
      } else {
        // The cache and the work directory are local, so releasing them needs no lock: the
        // lock's release, which waits on the store, runs beside them.
        b.resources.pushTogether("the lock", b.lock::close,
            "the work directory " + b.work.path(), b.work::close);
        CatalogLock held = b.lock;
        transfers.onStalled(held::abandon);
      }
      b.resources.push("the DuckDB connection", b.catalog::closeQuietly);
      Downloader downloader =
          new Downloader(b.store, transport, target, config, reporter, b.cache, transfers);
      b.fetched = prepared.taken().isPresent()
          ? downloader.fetchTaken(b.work.catalog(), prepared.taken(), b.catalog::closeQuietly)
          : downloader.fetch(b.work.catalog());
      if (b.fetched.isFresh() && b.readOnly) {
        throw LeaException.user("Cannot open catalog " + target.describe()
            + " read-only: it does not exist yet. Run once without lea.ducklake.readOnly to"
            + " create it.");
      }
      b.work.settled(returnToCache(b.cache, b.fetched));
      if (!b.catalog.attached()) {
        b.catalog.attach(b.work.catalog().toString(), !b.fetched.isFresh());
      }
      // DuckDB creates a fresh catalog with the umask's mode; the directory is owner-only, and
      // so is the file from here on.
      LocalFiles.restrictToOwner(b.work.catalog());
      b.work.holdWork();
      b.uploader = new Uploader(b.store, transport, target, reporter, transfers);
      SyncedSession session = new SyncedSession(b);
      session.watchForShutdown();
      return session;
    } catch (IOException e) {
      b.resources.close();
      throw LeaException.infrastructure("Cannot open catalog " + target.describe() + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      b.resources.close();
      throw e;
    }
  }

  private void watchForShutdown() {
    Thread hook = new Thread(this::onShutdown, "lea-session-" + runId + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    resources.push("the shutdown hook", () -> {
      if (Thread.currentThread() != hook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The JVM is already exiting; the hook finds the session finished and does nothing.
        }
      }
    });
  }

  static LeaException missingDataPath(CatalogTarget target) {
    return LeaException.user("Cannot create DuckLake catalog " + target.describe()
        + ": no catalog exists there yet and " + LeaSettings.DATA_PATH
        + " (LEA_DUCKLAKE_DATA_PATH) is not set. Set it to where table data should live,"
        + " e.g. s3://bucket/lake/data/ or a local folder.");
  }

  @Override
  public boolean startedFresh() {
    return fetched.isFresh();
  }

  @Override
  public String versionAtDownload() {
    return fetched.version();
  }

  /**
   * Checkpoint, compact, and upload the catalog (skipped when unchanged), fenced against
   * concurrent writers; then release everything.
   *
   * @throws LeaException when the catalog could not go to the catalog key: another writer won or
   *     this run lost its lock ({@code RUN}), or the store or the local disk failed ({@code
   *     INFRASTRUCTURE}); the message says where the catalog is
   */
  @Override
  public synchronized SyncResult commit() {
    if (result != null) {
      return result;
    }
    try {
      RuntimeException maintenanceFailed = null;
      try {
        catalog.maintain(maintenanceAge, reporter);
      } catch (RuntimeException e) {
        maintenanceFailed = e;
      }
      Settled settled = settle(maintenanceFailed);
      result = settled.result();
      if (maintenanceFailed != null) {
        throw new LeaException(maintenanceFailed instanceof LeaException lea ? lea.kind()
            : LeaException.Kind.INFRASTRUCTURE, maintenanceFailed.getMessage() + " "
                + result.message(), maintenanceFailed);
      }
      if (settled.error() != null) {
        throw new LeaException(settled.error(), result.message());
      }
      return result;
    } finally {
      resources.close();
    }
  }

  /**
   * The run failed: the failure policy decides where the catalog goes. Returns where it went;
   * throws only when that failed too (the message says where the catalog is kept).
   */
  @Override
  public synchronized SyncResult fail(Throwable cause) {
    if (result != null) {
      return result;
    }
    try {
      Settled settled = settle(cause);
      result = settled.result();
      if (settled.error() == LeaException.Kind.INFRASTRUCTURE) {
        throw LeaException.infrastructure(result.message());
      }
      return result;
    } finally {
      resources.close();
    }
  }

  /**
   * A dry run: nothing is uploaded, whatever the failure policy. The local copy goes back to the
   * cache only if the run left it untouched; otherwise it is deleted with the work directory.
   */
  @Override
  public synchronized SyncResult discard() {
    if (result != null) {
      return result;
    }
    try {
      catalog.close();
      work.settled(returnToCache(cache, fetched));
      result = new SyncResult(SyncResult.Outcome.NOT_SYNCED, target.describe(), null, -1,
          "Dry run; nothing uploaded.");
      return result;
    } finally {
      resources.close();
    }
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

  /** Where the catalog went, and the kind of error when that is not where it should have gone. */
  private record Settled(SyncResult result, LeaException.Kind error) {

    static Settled ok(SyncResult result) {
      return new Settled(result, null);
    }
  }

  /** {@link #finish}, and when that fails unexpectedly, the catalog is kept before it throws. */
  private Settled settle(Throwable failure) {
    try {
      return finish(failure);
    } catch (RuntimeException e) {
      result = kept(work.keep(), "Cannot finish the session: " + e.getMessage() + ".");
      throw e;
    }
  }

  /** Closes the catalog and puts it where it belongs: {@code failure} null means committed. */
  private Settled finish(Throwable failure) {
    Optional<String> unclean = catalog.close();
    if (readOnly) {
      work.settled(returnToCache(cache, fetched));
      return Settled.ok(new SyncResult(SyncResult.Outcome.NOT_SYNCED, target.describe(), null,
          -1, "Read-only session; nothing uploaded."));
    }
    if (unclean.isPresent()) {
      Path kept = work.keep();
      return new Settled(kept(kept, "Cannot close the catalog cleanly: " + unclean.get()
          + ". Nothing was uploaded: without its write-ahead log the file is incomplete, so"
          + " neither a commit nor the failure policy (" + policy.name() + ") can upload it."
          + " The catalog and its write-ahead log (" + kept.getFileName() + ".wal) are kept at "
          + kept + "; DuckDB replays the log when it opens the file."), LeaException.Kind
          .INFRASTRUCTURE);
    }
    if (failure == null) {
      return toMain(null);
    }
    Disposition disposition = policy.onFailure(
        new FailureContext(key(), runId, Instant.now(), failure));
    return switch (disposition.target()) {
      case MAIN -> toMain(failure);
      case ASIDE -> aside(disposition.key());
      case LOCAL -> Settled.ok(kept(work.keep(), "The run failed; the remote catalog was left"
          + " as it was (" + policy.name() + ")."));
    };
  }

  private Settled toMain(Throwable failure) {
    Path file = work.catalog();
    try {
      // Identity first: an untouched file is recognised without reading a byte. Only a file
      // that was written to, kept its size and its first bytes is read whole, and only when the
      // remote's bytes are known to compare; any other change is read once, by the upload.
      boolean unchanged = fetched.identity() != null && fetched.identity().matches(file);
      boolean rewritten = false;
      if (!unchanged && !fetched.isFresh() && fetched.digest().isKnown()
          && Files.size(file) == fetched.identity().size() && !fetched.head().differFrom(file)) {
        unchanged = fetched.digest().matches(file);
        rewritten = unchanged;
      }
      if (unchanged) {
        // Nothing is written, so nothing needs fencing: the lock is not renewed for it.
        settleUnchanged(rewritten);
        reporter.info("Catalog unchanged; nothing to upload.");
        return Settled.ok(new SyncResult(SyncResult.Outcome.UNCHANGED, target.describe(),
            fetched.version(), 0, "Catalog " + target.describe() + " unchanged; nothing"
                + " uploaded."));
      }
    } catch (IOException e) {
      Path kept = work.keep();
      return new Settled(kept(kept, "Cannot read the local catalog: " + e.getMessage()
          + ". Nothing was uploaded; the catalog is kept at " + kept + "."),
          LeaException.Kind.INFRASTRUCTURE);
    }
    if (!lock.confirm()) {
      return lostLock(failure);
    }
    try {
      Compactor.compact(file, target.format(), reporter);
    } catch (IOException e) {
      reporter.warn("Could not compact the catalog (" + e.getMessage() + "); uploading as is.");
    }
    Placement placement = uploader.upload(key(), file, lock.fence(fetched.version()));
    if (placement instanceof Placement.Uploaded uploaded) {
      work.settled(cache.<Consumer<Path>>map(
          c -> taken -> c.put(taken, uploaded.version(), uploaded.digest())).orElse(null));
      String message = failure == null
          ? "Catalog uploaded to " + target.describe() + "."
          : "The run failed; its partial catalog was uploaded to " + target.describe() + " ("
              + policy.name() + ").";
      return Settled.ok(new SyncResult(SyncResult.Outcome.UPLOADED, target.describe(),
          uploaded.version(), uploaded.bytes(), message));
    }
    if (placement instanceof Placement.Failed failed) {
      Path kept = work.keep();
      return new Settled(kept(kept, "Cannot upload catalog " + target.describe() + ": "
          + sentence(failed.error().getMessage()) + " The upload failed. The catalog is kept at "
          + kept + "."), LeaException.Kind.INFRASTRUCTURE);
    }
    return conflict();
  }

  /**
   * The local file holds the version downloaded, byte for byte: the cache gets it. A file whose
   * identity changed had its bytes compared, so it is recorded anew.
   */
  private void settleUnchanged(boolean rewritten) {
    work.settled(rewritten ? cache.<Consumer<Path>>map(
        c -> taken -> c.put(taken, fetched.version(), fetched.digest())).orElse(null)
        : returnToCache(cache, fetched));
  }

  /**
   * What becomes of a copy of the remote catalog no one changed: the file the cache lent goes
   * back under its entry, a downloaded one becomes the entry. A file that was written to after
   * all is not the remote's version and is only deleted.
   */
  private static Consumer<Path> returnToCache(Optional<CatalogCache> cache, Fetched fetched) {
    if (cache.isEmpty() || fetched.isFresh()) {
      return null;
    }
    CatalogCache c = cache.get();
    return taken -> {
      if (!fetched.identity().matches(taken)) {
        return;
      }
      if (fetched.fromCache()) {
        c.giveBack(taken);
      } else {
        c.put(taken, fetched.version(), fetched.digest());
      }
    };
  }

  /** The lock is someone else's now: uploading could overwrite the work of its new holder. */
  private Settled lostLock(Throwable failure) {
    String holder;
    try {
      holder = lockStrategy.inspect(store, key()).map(SyncedSession::describe)
          .map(who -> "it was taken over by " + who)
          .orElse("it was deleted (by lea:unlock, or by a run that found it expired)");
    } catch (IOException | RuntimeException e) {
      holder = "it could not be read (" + e.getMessage() + ")";
    }
    Path kept = work.keep();
    return new Settled(kept(kept, "Cannot upload catalog " + target.describe() + ": this run"
        + " lost its lock: " + holder + ". A run loses its lock when it does not renew it for "
        + LeaSettings.LOCK_TTL + " (a paused or overloaded process) or when lea:unlock breaks it."
        + (failure == null ? "" : " The run had failed too.") + " Nothing was uploaded, so the"
        + " new holder's work is safe. This run's catalog is kept at " + kept + "; run again to"
        + " redo the work on top of the current catalog."), LeaException.Kind.RUN);
  }

  private static String describe(LockInfo lock) {
    return lock.who() + " (pid " + lock.pid() + ", run " + lock.id() + ", since "
        + lock.created() + ")";
  }

  private Settled conflict() {
    Path kept = work.keep();
    String conflictKey = key() + ".conflict-" + KEY_TIMESTAMP.format(Instant.now()) + "-" + runId;
    Placement copy = uploader.upload(conflictKey, kept, Condition.ifAbsent());
    String uploadedAs = copy instanceof Placement.Uploaded
        ? " and uploaded as " + uploader.describe(conflictKey)
        : " (uploading a copy beside the catalog failed too: " + (copy instanceof
            Placement.Failed failed ? failed.error().getMessage() : "it exists") + ")";
    boolean locked = lock.info().isPresent();
    String message = "Cannot upload catalog " + target.describe() + ": another writer changed it"
        + " after this run downloaded it" + (fetched.isFresh() ? " (it was created)"
            : " (this run had version " + fetched.version() + ")")
        + (locked ? ", although this run held its " + config.get(LeaSettings.LOCK) + " lock: a"
            + " writer that ignores the lock (lock none, an older lea, another tool) or one that"
            + " had lost it wrote the catalog" : "")
        + ". Nothing was overwritten. This run's catalog is kept at " + kept + uploadedAs
        + ". Run again to redo the work on top of the current catalog"
        + (locked ? ", and find the writer that does not take the lock."
            : ", or use a lock-file lock so runs wait for each other.");
    return new Settled(new SyncResult(SyncResult.Outcome.KEPT_LOCAL, kept.toString(), null, -1,
        message), LeaException.Kind.RUN);
  }

  private Settled aside(String asideKey) {
    Placement placement = uploader.upload(asideKey, work.catalog(), Condition.ifAbsent());
    if (placement instanceof Placement.Uploaded uploaded) {
      work.settled(null);
      String where = uploader.describe(asideKey);
      return Settled.ok(new SyncResult(SyncResult.Outcome.UPLOADED_ASIDE, where,
          uploaded.version(), uploaded.bytes(), "The failed run's catalog was uploaded to "
              + where + "; " + target.describe() + " was left as it was (" + policy.name()
              + ")."));
    }
    String why = placement instanceof Placement.Failed failed ? failed.error().getMessage()
        : "the key exists";
    return Settled.ok(kept(work.keep(), "Uploading the failed run's catalog beside "
        + target.describe() + " failed (" + why + ")."));
  }

  private static SyncResult kept(Path kept, String message) {
    String text = message.contains(kept.toString()) ? message
        : message + " The catalog is kept at " + kept + ".";
    return new SyncResult(SyncResult.Outcome.KEPT_LOCAL, kept.toString(), null, -1, text);
  }

  /** Store messages may or may not end with a full stop; joined sentences need exactly one. */
  private static String sentence(String text) {
    String trimmed = text == null ? "" : text.strip();
    return trimmed.endsWith(".") ? trimmed : trimmed + ".";
  }

  private String key() {
    return target.remote().key();
  }

  private static String fileName(CatalogTarget target) {
    String key = target.remote().key();
    String name = key.substring(key.lastIndexOf('/') + 1);
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
  }
}
