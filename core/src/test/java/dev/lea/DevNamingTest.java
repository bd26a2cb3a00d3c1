package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API opens the warehouse a `mvn lea:run` with the same configuration wrote: lea's dev
 * copy ({@code _<username>}, lea/conductor.py: {@code LEA_USERNAME} else
 * {@code getpass.getuser()}) unless {@code lea.production=true}.
 */
class DevNamingTest {

  @TempDir Path project;
  private final List<String> output = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    LeaProject.in(project).script("core/numbers.sql", "SELECT range AS n FROM range(3)\n");
  }

  private LeaConfig config() {
    return LeaProject.in(project).config().with(LeaSettings.USERNAME, "max");
  }

  @Test
  void leaOpenSeesWhatARunWithTheSameConfigurationBuilt() throws Exception {
    assertThat(Lea.run(config(), Reporters.collecting(output)).succeeded()).isTrue();

    try (CatalogSession session = Lea.open(config(), Reporters.collecting(output));
        Statement statement = session.connection().createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM core.numbers")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(3);
      session.commit();
    }
    assertThat(project.resolve("bucket/warehouse_max.duckdb")).exists();
    assertThat(project.resolve("bucket/warehouse.duckdb")).doesNotExist();
  }

  @Test
  void inProductionLeaOpenAndCatalogSyncOpenTheConfiguredName() throws Exception {
    LeaConfig production = config().with(LeaSettings.PRODUCTION, "true");
    assertThat(Lea.run(production, Reporters.collecting(output)).succeeded()).isTrue();

    for (int open = 0; open < 2; open++) {
      try (CatalogSession session = open == 0 ? Lea.open(production, Reporter.silent())
              : CatalogSync.open(production, Reporter.silent());
          Statement statement = session.connection().createStatement();
          ResultSet rows = statement.executeQuery("SELECT count(*) FROM core.numbers")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(3);
        session.commit();
      }
    }
    assertThat(project.resolve("bucket/warehouse.duckdb")).exists();
    assertThat(project.resolve("bucket/warehouse_max.duckdb")).doesNotExist();
  }
}
