def log = new File(basedir, 'build.log').text
assert log.contains("it has id 'it-held-lock', not 'wrong-id'. It is held by ci@build-agent")
assert log =~ /Broke the lock it-held-lock of file:\S+\/shop_it\.duckdb held by ci@build-agent/
assert log.contains('Published 1 table')
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists()
assert new File(basedir, 'target/bucket/shop_it.duckdb').isFile()
true
