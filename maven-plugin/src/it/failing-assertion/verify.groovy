def project = dev.lea.maven.InvokerProject.at(basedir)
def log = project.log()
assert log.contains('Test tests.staging__orders__order_id___unique failed')
assert log.contains('Nothing was published')
// The build failure itself says where the catalog went (upload-always: the bucket).
assert log =~ /(?m)^\[ERROR\] .*uploaded to file:\S+\/target\/bucket\/shop_it\.duckdb/
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists() : 'the lock was not released'

// The published table is still the first run's: 3 distinct orders, not the 10 of the failed run.
project.localBucket().withCloseable { bucket ->
  assert project.catalogRows(bucket, 'shop_it.duckdb',
      'SELECT count(*), count(DISTINCT order_id) FROM staging.orders') == [[3, 3]]
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
