def project = dev.lea.maven.InvokerProject.at(basedir)
project.assertFreshThenRerun()
assert new File(basedir, 'target/bucket/shop_it.duckdb').isFile() : 'the run uploaded no catalog'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists() : 'a lock was left behind'
true
