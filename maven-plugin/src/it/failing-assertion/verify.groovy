import dev.lea.store.FileObjectStore
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def log = new File(basedir, 'build.log').text
assert log.contains('Test tests.staging__orders__order_id___unique failed')
assert log.contains('Nothing was published')
// The build failure itself says where the catalog went (upload-always: the bucket).
assert log =~ /(?m)^\[ERROR\] .*uploaded to file:\S+\/target\/bucket\/shop_it\.duckdb/
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists() : 'the lock was not released'

// The published table is still the first run's: 3 distinct orders, not the 10 of the failed run.
def copy = new File(basedir, 'target/published.duckdb').toPath()
new FileObjectStore(new File(basedir, 'target/bucket').toPath()).read('shop_it.duckdb', null)
    .withCloseable { Files.copy(it.content(), copy, StandardCopyOption.REPLACE_EXISTING) }
new org.duckdb.DuckDBDriver().connect('jdbc:duckdb:' + copy, new Properties()).withCloseable { c ->
  c.createStatement().withCloseable { s ->
    def rs = s.executeQuery('SELECT count(*), count(DISTINCT order_id) FROM staging.orders')
    rs.next()
    assert rs.getLong(1) == 3 && rs.getLong(2) == 3
  }
}
// Issue 18: the failed test is a JUnit failure, with its first rows, beside the run's summary.
def suite = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/lea-reports/TEST-lea.xml'))
assert suite.@name == 'lea'
assert suite.@failures == '1'
def failed = suite.testcase.find { it.failure.size() > 0 }
assert failed.@name == 'tests.staging__orders__order_id___unique'
assert failed.failure.text().contains('First rows: ')
def summary = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/lea-reports/run.json'))
assert summary.succeeded == false
assert summary.failure.startsWith('Test tests.staging__orders__order_id___unique failed')
true
