package dev.lea.sync;

import dev.lea.spi.Reporter;
import java.sql.Connection;

/**
 * What every session holds: its run id, the DuckDB connection with the catalog attached, where it
 * reports, and how it finished once it has.
 */
abstract sealed class AttachedSession implements CatalogSession
    permits InPlaceSession, SyncedSession {

  final String runId;
  final OpenCatalog catalog;
  final Reporter reporter;
  /** Null until the session is committed, failed or discarded; guarded by {@code this}. */
  SyncResult result;

  AttachedSession(String runId, OpenCatalog catalog, Reporter reporter) {
    this.runId = runId;
    this.catalog = catalog;
    this.reporter = reporter;
  }

  @Override
  public final Connection connection() {
    return catalog.connection();
  }

  @Override
  public final String runId() {
    return runId;
  }

  @Override
  public final synchronized SyncResult result() {
    return result;
  }

  @Override
  public final void close() {
    if (result() == null) {
      SyncResult failed = fail(new IllegalStateException("session closed without commit"));
      reporter.warn("Session closed without commit: treated as a failure. " + failed.message());
    }
  }
}
