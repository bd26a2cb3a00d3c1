def log = new File(basedir, 'build.log').text
assert log =~ /Cannot order the scripts: they form a cycle core\.(a|b) .*core\.(a|b)/
assert log =~ /no_such_column.*\[.*broken\/staging\/orders\.sql line 3/
assert !(log =~ /at dev\.lea\./) : 'a stack trace was printed'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists()
true
