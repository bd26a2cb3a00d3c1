// The ducklake-s3-* ITs' checks, evaluated by their verify.groovy with two variables of its
// binding: `catalog`, the catalog URL the builds used, and `catalogEnvironment`, what else the
// builds' environment said about the catalog.
import dev.lea.config.ConfigResolver
import dev.lea.sync.CatalogSync

def server = context.s3proxy
def catalogKey = catalog.substring('s3://my-bucket/'.length())
try {
  def log = new File(basedir, 'build.log').text
  def fresh = log.indexOf("No catalog at ${catalog} yet; starting a fresh one.")
  def second = log.indexOf('core.top_customer: 1 row')
  def failed = log.indexOf('Cannot run core.revenue')
  def partial = log.indexOf("its partial catalog was uploaded to ${catalog} (upload-always)")
  def resumed = log.indexOf('from the audit tables of an earlier failed run (', partial)
  def published = log.indexOf('Published ', resumed)
  assert fresh >= 0 : 'the first run did not start a fresh catalog'
  assert second > fresh : 'the second run did not build core.top_customer from the first run\'s core.revenue'
  assert failed > second : 'the third run did not fail on its missing export'
  assert partial > failed : 'the failed run did not upload its partial catalog'
  assert resumed > partial && log.substring(resumed, log.indexOf('\n', resumed)).contains('staging.orders') :
      'the fourth run did not resume staging.orders (lea conductor.py: an audit table newer than its script is reused)'
  assert published > resumed : 'the fourth run did not publish the tables'
  assert log.indexOf('BUILD SUCCESS', partial) > 0 : 'the fourth run failed'
  assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'

  // The bucket, read over S3: the catalog, the Parquet files DuckDB wrote through httpfs, and
  // nothing else (no lock left, nothing kept aside).
  server.newContractStore('my-bucket').withCloseable { store ->
    def keys = store.list('')*.key()
    assert keys.contains(catalogKey)
    def data = keys.findAll { it.startsWith('lake/data/') }
    assert !data.isEmpty() && data.every { it.endsWith('.parquet') } : "data files: ${data}"
    assert keys - data == [catalogKey] : "unexpected objects: ${keys}"
  }

  // What a user reading the lake sees: a read-only session with the builds' settings.
  def environment = new HashMap(System.getenv())
  environment.putAll([LEA_DUCKLAKE_CATALOG_URL: catalog, LEA_DUCKLAKE_DATA_PATH: 's3://my-bucket/lake/data/',
      LEA_PRODUCTION: 'true'])
  environment.putAll(catalogEnvironment)
  def config = ConfigResolver.builder().projectDirectory(basedir.toPath()).environment(environment)
      .configuration(['lea.ducklake.readOnly': 'true', 'lea.cache.enabled': 'false']).resolve()
  System.setProperty('aws.accessKeyId', 'lea-test-access')
  System.setProperty('aws.secretAccessKey', 'lea-test-secret')
  def rows = { sql ->
    def result = []
    CatalogSync.open(config).withCloseable { session ->
      session.connection().createStatement().withCloseable { s ->
        def rs = s.executeQuery(sql)
        while (rs.next()) {
          result << (1..rs.metaData.columnCount).collect { rs.getObject(it).toString() }
        }
      }
      session.commit()
    }
    result
  }
  assert rows('SELECT customer_id, CAST(revenue AS DECIMAL(10, 2)) FROM core.revenue ORDER BY 1') == [['10', '20.00'], ['11', '43.00']]
  assert rows('SELECT customer_id FROM core.top_customer') == [['11']]
  assert rows('SELECT count(*) FROM staging.calendar') == [['90']]
  assert rows("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
      + " AND table_name LIKE '%audit'") == []
} finally {
  System.clearProperty('aws.accessKeyId')
  System.clearProperty('aws.secretAccessKey')
  server?.close()
}
true
