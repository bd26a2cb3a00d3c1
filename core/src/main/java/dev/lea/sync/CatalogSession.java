package dev.lea.sync;

import java.sql.Connection;

/**
 * An open warehouse: the DuckDB connection with the catalog attached. Finish it with {@link
 * #commit()} or {@link #fail(Throwable)}; {@link #close()} without either is a failure. Whatever
 * happens, the lock is released and the session's local files are removed, and a catalog that
 * cannot go where it should is kept aside, never lost.
 */
public sealed interface CatalogSession extends AutoCloseable permits AttachedSession {

  /**
   * The alias a DuckLake catalog is attached as, lea's own: views embed it, so an existing lea
   * catalog keeps working.
   */
  String DUCKLAKE_ALIAS = "my_ducklake";

  /** The DuckDB connection; for DuckLake, the catalog is attached as {@value #DUCKLAKE_ALIAS}. */
  Connection connection();

  /** This run's id, as written in lock bodies and in the keys of kept-aside catalogs. */
  String runId();

  /** True when no remote catalog existed and this session started a new one. */
  boolean startedFresh();

  /** The remote catalog's version when it was downloaded, or null when fresh or not synced. */
  String versionAtDownload();

  /** The result once finished, else null. */
  SyncResult result();

  /**
   * The run succeeded: put the catalog back (skipped when unchanged), then release everything.
   *
   * @throws dev.lea.spi.LeaException when the catalog could not go where it should; the message says
   *     where it is
   */
  SyncResult commit();

  /**
   * The run failed: the failure policy decides where the catalog goes. Returns where it went;
   * throws only when that itself failed (and then says where it is kept).
   */
  SyncResult fail(Throwable cause);

  /**
   * A dry run: the local copy holds only what the run built to test; nothing is uploaded, whatever
   * the failure policy, and the lock is released.
   */
  SyncResult discard();

  /** Finishes as failed unless already committed or failed, then releases everything. */
  @Override
  void close();
}
