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
true
