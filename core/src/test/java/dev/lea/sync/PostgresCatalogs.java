package dev.lea.sync;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL for a test class, holding the catalog databases it names, for DuckLake
 * catalogs in Postgres: register it on a static field with {@code @RegisterExtension}. The class
 * is skipped, naming the reason, when DuckDB cannot load the ducklake and postgres extensions.
 */
public final class PostgresCatalogs implements BeforeAllCallback, AfterAllCallback {

  private final String[] databases;
  private PostgresServer server;

  public PostgresCatalogs(String... databases) {
    this.databases = databases.clone();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", "postgres");
    server = PostgresServer.start(databases);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  public String conninfo(String database) {
    return server.conninfo(database);
  }
}
