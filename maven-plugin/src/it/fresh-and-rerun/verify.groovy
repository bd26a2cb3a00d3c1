def log = new File(basedir, 'build.log').text
def fresh = log.indexOf('yet; starting a fresh one.')
def reused = log.indexOf('unchanged since the last run; using the cached copy')
def skipped = log.indexOf('Running 0 of 8 scripts and tests, skipping 3 unmodified')
assert fresh >= 0 : 'the first run did not start a fresh catalog'
assert reused > fresh : 'the second run did not reuse the catalog the first one uploaded'
assert skipped > reused : 'the second run did not skip the unmodified scripts'
assert log =~ /staging\.orders\s+table\s+skipped/
assert new File(basedir, 'target/bucket/shop_it.duckdb').isFile() : 'the run uploaded no catalog'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists() : 'a lock was left behind'
// The cache lives under the project's target, never in ~/.cache/lea.
assert new File(basedir, 'target/lea-cache').isDirectory()
true
