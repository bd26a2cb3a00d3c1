import dev.lea.store.FileObjectStore
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def log = new File(basedir, 'build.log').text
def second = log.lastIndexOf('Running 8 of 8: ')
assert second > log.indexOf('Running 8 of 8: ') : 'the second run did not run every script'
assert !log.contains('resuming') : 'a run after a success resumed something'
assert log.substring(second) =~ /staging\.orders\s+table\s+published\s+4\s/ : 'the second run did not read the new seed row'

// The published catalog holds the second day's data.
def copy = new File(basedir, 'target/published.duckdb').toPath()
new FileObjectStore(new File(basedir, 'target/bucket').toPath()).read('shop_it.duckdb', null)
    .withCloseable { Files.copy(it.content(), copy, StandardCopyOption.REPLACE_EXISTING) }
new org.duckdb.DuckDBDriver().connect('jdbc:duckdb:' + copy, new Properties()).withCloseable { c ->
  c.createStatement().withCloseable { s ->
    def rs = s.executeQuery('SELECT customer_id, revenue FROM core.revenue ORDER BY 1')
    def rows = []
    while (rs.next()) {
      rows << [rs.getInt(1), rs.getBigDecimal(2)]
    }
    assert rows == [[10, 19.75], [11, 3.00], [12, 40.00]]
  }
}
true
