package dev.lea.sync;

import java.sql.Connection;

/** What every session holds: its run id and the DuckDB connection with the catalog attached. */
abstract sealed class AttachedSession implements CatalogSession
    permits InPlaceSession, SyncedSession {

  final String runId;
  final OpenCatalog catalog;

  AttachedSession(String runId, OpenCatalog catalog) {
    this.runId = runId;
    this.catalog = catalog;
  }

  @Override
  public final Connection connection() {
    return catalog.connection();
  }

  @Override
  public final String runId() {
    return runId;
  }
}
