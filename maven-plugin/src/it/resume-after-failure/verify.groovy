def project = dev.lea.maven.InvokerProject.at(basedir)
def log = project.log()
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
project.localBucket().withCloseable { bucket ->
  assert project.catalogRows(bucket, 'shop_it.duckdb',
      "SELECT count(*) FILTER (WHERE table_name LIKE '%___audit'),"
      + " count(*) FILTER (WHERE table_name = 'revenue') FROM duckdb_tables()") == [[0, 1]]
}
true
