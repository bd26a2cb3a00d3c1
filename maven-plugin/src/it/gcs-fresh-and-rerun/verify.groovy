import dev.lea.store.gcs.FakeGcs
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def fake = context.fakeGcs
try {
  def log = new File(basedir, 'build.log').text
  def fresh = log.indexOf('yet; starting a fresh one.')
  def reused = log.indexOf('unchanged since the last run; using the cached copy')
  def rerun = log.lastIndexOf('Running 8 of 8: ')
  assert fresh >= 0 : 'the first run did not start a fresh catalog'
  assert reused > fresh : 'the second run did not reuse the catalog the first one uploaded'
  assert rerun > reused : 'the second run did not run every script again (lea reruns after a success)'
  assert log.substring(rerun) =~ /staging\.orders\s+table\s+published/
  assert new File(basedir, 'target/lea-cache').isDirectory()

  // The fake's own record: the catalog exists and the lock was deleted.
  assert fake.generation('lake', 'shop_it.duckdb').isPresent() : 'the run uploaded no catalog'
  assert !fake.generation('lake', '.lea/locks/shop_it.duckdb.lock').isPresent() : 'a lock was left behind'
  // Read back over the JSON API: the bucket holds just the catalog, with the run's tables.
  FakeGcs.store(fake, 'lake').withCloseable { store ->
    assert store.list('')*.key() == ['shop_it.duckdb'] : 'the bucket does not hold just the catalog'
    def copy = new File(basedir, 'target/published.duckdb').toPath()
    store.read('shop_it.duckdb', null)
        .withCloseable { Files.copy(it.content(), copy, StandardCopyOption.REPLACE_EXISTING) }
    new org.duckdb.DuckDBDriver().connect('jdbc:duckdb:' + copy, new Properties()).withCloseable { c ->
      c.createStatement().withCloseable { s ->
        def rs = s.executeQuery('SELECT customer_id, revenue FROM core.revenue ORDER BY 1')
        def rows = []
        while (rs.next()) {
          rows << [rs.getInt(1), rs.getBigDecimal(2)]
        }
        assert rows == [[10, 19.75], [11, 3.00], [12, 0]]
      }
    }
  }
} finally {
  fake?.close()
}
true
