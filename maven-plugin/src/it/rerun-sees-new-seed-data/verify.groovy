def project = dev.lea.maven.InvokerProject.at(basedir)
def log = project.log()
def second = log.lastIndexOf('Running 8 of 8: ')
assert second > log.indexOf('Running 8 of 8: ') : 'the second run did not run every script'
assert !log.contains('resuming') : 'a run after a success resumed something'
assert log.substring(second) =~ /staging\.orders\s+table\s+published\s+4\s/ : 'the second run did not read the new seed row'

// The published catalog holds the second day's data.
project.localBucket().withCloseable { bucket ->
  assert project.catalogRows(bucket, 'shop_it.duckdb', 'SELECT customer_id, revenue FROM core.revenue ORDER BY 1') ==
      [[10, 19.75], [11, 3.00], [12, 40.00]]
}
true
