package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTargetTest {

  @TempDir Path dir;

  @Test
  void postgresCatalogsAttachDirectlyWithoutSync() {
    CatalogTarget target = CatalogTarget.resolve(LeaConfig.defaults(dir)
        .with(LeaSettings.CATALOG_URL, "postgres:dbname=lake host=db.internal"));
    assertThat(target.kind()).isEqualTo(CatalogTarget.Kind.DUCKLAKE_POSTGRES);
    assertThat(target.synced()).isFalse();
    assertThat(DuckLake.catalogSpec(target.format(), target.local()))
        .isEqualTo("ducklake:postgres:dbname=lake host=db.internal");
  }

  @Test
  void remoteUrlsAreSyncedAndLocalPathsUsedInPlace() {
    LeaConfig config = LeaConfig.defaults(dir);
    assertThat(CatalogTarget.resolve(config.with(LeaSettings.CATALOG_URL, "s3://b/lake/c.sqlite"))
        .synced()).isTrue();
    CatalogTarget local = CatalogTarget.resolve(config.with(LeaSettings.CATALOG_DATABASE,
        "metadata.ducklake"));
    assertThat(local.synced()).isFalse();
    assertThat(local.local()).isEqualTo(dir.resolve("metadata.ducklake").toString());
    assertThat(local.format()).as("lea attaches ducklake:metadata.ducklake, a DuckDB catalog")
        .isEqualTo("duckdb");
    assertThat(CatalogTarget.resolve(config.with(LeaSettings.CATALOG_DATABASE,
        "sqlite:meta.sqlite")).format()).isEqualTo("sqlite");
    CatalogTarget warehouse = CatalogTarget.resolve(config.with(LeaSettings.DUCKDB_PATH,
        "warehouse.duckdb"));
    assertThat(warehouse.kind()).isEqualTo(CatalogTarget.Kind.DUCKDB);
    assertThat(warehouse.synced()).isFalse();
  }

  @Test
  void bothCatalogKeysAtOnceAreRefused() {
    assertThatThrownBy(() -> CatalogTarget.resolve(LeaConfig.defaults(dir)
        .with(LeaSettings.CATALOG_URL, "s3://b/c.sqlite")
        .with(LeaSettings.CATALOG_DATABASE, "metadata.ducklake")))
        .hasMessageStartingWith("Cannot open the DuckLake catalog: both lea.ducklake.catalogUrl");
  }

  @Test
  void aDuckDbWarehouseNeedsAPath() {
    assertThatThrownBy(() -> CatalogTarget.resolve(LeaConfig.defaults(dir)))
        .hasMessageStartingWith("Cannot open the DuckDB warehouse: lea.duckdb.path"
            + " (LEA_DUCKDB_PATH) is not set. Set it to a local file, or to a URL such as");
  }
}
