import dev.lea.store.FileObjectStore
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def log = new File(basedir, 'build.log').text
def failed = log.indexOf('Test tests.no_small_revenue failed')
def resumed = log.indexOf('not running 3: 3 resumed from the audit tables of an earlier failed run (')
assert failed >= 0 : 'the first run did not fail on its test'
assert resumed > failed : 'the second run did not resume from the failed run\'s audit tables'
def summary = log.substring(resumed)
['staging.customers', 'staging.orders', 'core.revenue'].each { table ->
  assert summary =~ /${table.replace('.', '\\.')}\s+table\s+resumed/ : "${table} is not shown resumed"
}
assert summary =~ /tests\.no_negative_revenue\s+test\s+passed/
assert summary.contains('Published 3 tables')

// The catalog now holds the published tables and no audit table.
def copy = new File(basedir, 'target/published.duckdb').toPath()
new FileObjectStore(new File(basedir, 'target/bucket').toPath()).read('shop_it.duckdb', null)
    .withCloseable { Files.copy(it.content(), copy, StandardCopyOption.REPLACE_EXISTING) }
new org.duckdb.DuckDBDriver().connect('jdbc:duckdb:' + copy, new Properties()).withCloseable { c ->
  c.createStatement().withCloseable { s ->
    def rs = s.executeQuery("SELECT count(*) FILTER (WHERE table_name LIKE '%___audit'),"
        + " count(*) FILTER (WHERE table_name = 'revenue') FROM duckdb_tables()")
    rs.next()
    assert rs.getLong(1) == 0 && rs.getLong(2) == 1
  }
}
true
