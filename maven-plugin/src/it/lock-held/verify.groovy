def log = new File(basedir, 'build.log').text
assert log.contains('ci@build-agent')
assert log.contains('mvn lea:unlock -Dlea.unlockId=it-held-lock')
assert log.contains('Lock: held by ci@build-agent (pid 4242, run)')
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
assert new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').isFile() : 'the foreign lock was removed'
assert !new File(basedir, 'target/bucket/shop_it.duckdb').exists() : 'a catalog was written without the lock'
true
