package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.sql.SQLException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Bad projects are refused before anything is written, with a message naming the file. */
class ProjectErrorsTest extends ProjectTestCase {

  private AbstractThrowableAssert<?, ? extends Throwable> refused() throws SQLException {
    AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(project::run)
        .isInstanceOf(LeaException.class)
        .satisfies(e -> assertThat(((LeaException) e).kind()).isEqualTo(LeaException.Kind.USER));
    assertThat(project.tables()).as("nothing written").isEmpty();
    return thrown;
  }

  @Test
  void aCycleIsNamed() throws SQLException {
    project.file("scripts/core/a.sql", "SELECT * FROM core.b")
        .file("scripts/core/b.sql", "SELECT * FROM core.c")
        .file("scripts/core/c.sql", "SELECT * FROM core.a")
        .file("scripts/core/d.sql", "SELECT 1 AS x");

    refused().hasMessage("Cannot order the scripts: they form a cycle core.a -> core.b -> core.c"
        + " -> core.a (each reads the next). Remove one of these references.");
  }

  @Test
  void aBrokenTemplateNamesTheFileAndTheJinjaLine() throws SQLException {
    project.file("scripts/core/t.sql.jinja", "SELECT\n  1 AS a\n{% for x in y %}\n");

    refused().hasMessageStartingWith("Cannot render scripts/core/t.sql.jinja: Jinja error at line 3:")
        .hasMessageEndingWith("Fix the template and run again.");
  }

  @Test
  void aMissingYamlFileNamesWhereItWasLookedFor() throws SQLException {
    project.file("scripts/core/t.sql.jinja",
        "{% set c = load_yaml('nope.yaml') %}\nSELECT {{ c.x }} AS x");

    refused().hasMessageStartingWith("Cannot render scripts/core/t.sql.jinja: Jinja error at line 1")
        .hasMessageContaining("Cannot load YAML 'nope.yaml': no such file; looked at "
            + project.directory.resolve("scripts/core/nope.yaml"));
  }

  @Test
  void loadYamlStaysInsideTheProject() throws SQLException {
    project.file("scripts/core/t.sql.jinja",
        "{% set c = load_yaml('../../../secret.yaml') %}\nSELECT 1 AS x");

    refused().hasMessageContaining("Cannot load YAML '../../../secret.yaml': the path leaves the"
        + " project directory");
  }

  @Test
  void sqlThatDoesNotParseNamesTheFileAndLine() throws SQLException {
    project.file("scripts/core/bad.sql", "SELECT\n  1 AS a,\n  FROM FROM x");

    refused().hasMessageStartingWith("Cannot parse scripts/core/bad.sql at line 3: syntax error"
        + " at or near \"FROM\"");
  }

  @Test
  void aStatementThatIsNotASelectIsRefused() throws SQLException {
    project.file("scripts/core/ddl.sql", "CREATE TABLE x AS SELECT 1");

    refused().hasMessage("Cannot parse scripts/core/ddl.sql: it is not a SELECT query (DuckDB:"
        + " Only SELECT statements can be serialized to json!). A lea script is one SELECT query"
        + " whose result becomes the table; DuckDB cannot serialize PIVOT and UNPIVOT either,"
        + " even inside a SELECT.");
  }

  @Test
  void twoStatementsAreRefused() throws SQLException {
    project.file("scripts/core/two.sql", "SELECT 1 AS a; SELECT 2 AS b");

    refused().hasMessageStartingWith("Cannot parse scripts/core/two.sql: it holds 2 statements.");
  }

  @Test
  void anUnknownAssertionTagIsRefused() throws SQLException {
    project.file("scripts/core/t.sql", "SELECT\n  -- #UNIQUE_ISH\n  id\nFROM range(3) r(id)");

    refused().hasMessage("Cannot read the assertion tag '#UNIQUE_ISH' on column id in"
        + " scripts/core/t.sql at line 2: unknown tag. Valid tags: #NO_NULLS, #UNIQUE,"
        + " #UNIQUE_BY(<column>), #SET{'a', 'b'}, #INCREMENTAL.");
  }

  @Test
  void twoFilesForOneTableAreRefused() throws SQLException {
    project.file("scripts/core/t.sql", "SELECT 1 AS a")
        .file("scripts/core/t.sql.jinja", "SELECT 2 AS a");

    refused().hasMessage("Cannot read scripts/core/t.sql.jinja: scripts/core/t.sql already"
        + " defines core.t. Rename or remove one of them.");
  }

  @Test
  void aMissingScriptsFolderIsNamed() throws SQLException {
    refused().hasMessageStartingWith("Cannot read scripts: folder "
        + project.directory.resolve("scripts") + " does not exist.");
  }

  @Test
  void aMalformedIncrementalSettingIsRefused() throws SQLException {
    project.file("scripts/core/t.sql", "SELECT 1 AS a");

    assertThatThrownBy(() -> project.run("lea.incremental", "account"))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot read lea.incremental (LEA_INCREMENTAL) 'account': expected"
            + " <field>=<value>[,<value>...], e.g. account_slug=acme,globex.");
  }
}
