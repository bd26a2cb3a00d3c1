def server = context.s3proxy
try {
  def project = dev.lea.maven.InvokerProject.at(basedir)
  project.assertFreshThenRerun()

  // What S3Proxy holds, read over S3 with the proxy's own client: the catalog and nothing else,
  // in particular no lock.
  server.newContractStore('lake').withCloseable { store ->
    assert store.list('')*.key() == ['shop_it.duckdb'] : 'the bucket does not hold just the catalog'
    assert project.catalogRows(store, 'shop_it.duckdb', 'SELECT customer_id, revenue FROM core.revenue ORDER BY 1') ==
        [[10, 19.75], [11, 3.00], [12, 0]]
  }
} finally {
  server?.close()
}
true
