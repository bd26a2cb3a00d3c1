import dev.lea.config.ConfigResolver
import dev.lea.sync.CatalogSync
import dev.lea.testing.SqlRows

try {
  def log = new File(basedir, 'build.log').text
  def inPlace = 'Catalog postgres:dbname=lake host=127.0.0.1 port='
  def first = log.indexOf('Published 3 tables')
  def second = log.indexOf('core.top_customer: 1 row', first)
  def failed = log.indexOf('Cannot run core.revenue', second)
  def kept = log.indexOf('used in place; it keeps what the run wrote.', failed)
  def resumed = log.indexOf('resumed from the audit tables of an earlier failed run (', kept)
  def published = log.indexOf('Published 4 tables', resumed)
  def status = log.indexOf('[INFO] Catalog ducklake:postgres:dbname=lake ', published)
  assert first >= 0 && log.indexOf(inPlace) > first : 'the first run did not publish on the Postgres catalog'
  assert second > first : 'the second run did not build core.top_customer from the first run\'s core.revenue'
  assert failed > second : 'the third run did not fail on its missing export'
  assert kept > failed : 'the failed run did not keep its audit tables in Postgres'
  assert resumed > kept && log.substring(resumed, log.indexOf('\n', resumed)).contains('staging.orders') :
      'the fourth run did not resume staging.orders (lea conductor.py: an audit table newer than its script is reused)'
  assert published > resumed : 'the fourth run did not publish the tables'
  assert status > published && log.substring(status).readLines()[1] =~ /^\[INFO\]\s+snapshots\s+\d+/ :
      'lea:status did not show the catalog and its snapshots'
  assert !(log =~ /(?m)^\[INFO\]\s+Lock/) : 'lea:status showed a lock for a Postgres catalog'
  assert !(log =~ /(?i)(downloaded|uploaded) catalog/) : 'a Postgres catalog was synced'
  assert !log.contains('lea-pg-secret') && !log.contains('lea-test-secret') : 'a password was printed'
  assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'

  // The bucket holds the Parquet files DuckDB wrote through httpfs and nothing else: no catalog
  // object, no lock.
  context.s3proxy.newContractStore('my-bucket').withCloseable { store ->
    def keys = store.list('')*.key()
    assert !keys.isEmpty() && keys.every { it.startsWith('lake/data/') && it.endsWith('.parquet') } :
        "objects in the bucket: ${keys}"
  }

  // What a user reading the lake sees: a read-only session with the builds' settings (.env).
  def config = ConfigResolver.builder().projectDirectory(basedir.toPath()).environment(System.getenv())
      .configuration(['lea.ducklake.readOnly': 'true']).resolve()
  def rows = { sql ->
    CatalogSync.open(config).withCloseable { session ->
      def result = SqlRows.of(session.connection(), sql).collect { row -> row*.toString() }
      session.commit()
      result
    }
  }
  assert rows('SELECT customer_id, CAST(revenue AS DECIMAL(10, 2)) FROM core.revenue ORDER BY 1') == [['10', '20.00'], ['11', '43.00']]
  assert rows('SELECT customer_id FROM core.top_customer') == [['11']]
  assert rows('SELECT count(*) FROM staging.calendar') == [['90']]
  assert rows("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
      + " AND table_name LIKE '%audit'") == []
} finally {
  context.s3proxy?.close()
  context.postgres?.close()
}
true
