import dev.lea.store.gcs.FakeGcs

def fake = context.fakeGcs
try {
  def project = dev.lea.maven.InvokerProject.at(basedir)
  project.assertFreshThenRerun()

  // The fake's own record: the catalog exists and the lock was deleted.
  assert fake.generation('lake', 'shop_it.duckdb').isPresent() : 'the run uploaded no catalog'
  assert !fake.generation('lake', '.lea/locks/shop_it.duckdb.lock').isPresent() : 'a lock was left behind'
  // Read back over the JSON API: the bucket holds just the catalog, with the run's tables.
  FakeGcs.store(fake, 'lake').withCloseable { store ->
    assert store.list('')*.key() == ['shop_it.duckdb'] : 'the bucket does not hold just the catalog'
    assert project.catalogRows(store, 'shop_it.duckdb', 'SELECT customer_id, revenue FROM core.revenue ORDER BY 1') ==
        [[10, 19.75], [11, 3.00], [12, 0]]
  }
} finally {
  fake?.close()
}
true
