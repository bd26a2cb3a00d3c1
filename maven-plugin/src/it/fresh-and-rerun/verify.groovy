def log = new File(basedir, 'build.log').text
def fresh = log.indexOf('yet; starting a fresh one.')
def reused = log.indexOf('unchanged since the last run; using the cached copy')
def rerun = log.lastIndexOf('Running 8 of 8: ')
assert fresh >= 0 : 'the first run did not start a fresh catalog'
assert reused > fresh : 'the second run did not reuse the catalog the first one uploaded'
assert rerun > reused : 'the second run did not run every script again (lea reruns after a success)'
assert log.substring(rerun) =~ /staging\.orders\s+table\s+published/
assert new File(basedir, 'target/bucket/shop_it.duckdb').isFile() : 'the run uploaded no catalog'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists() : 'a lock was left behind'
// The cache lives under the project's target, never in ~/.cache/lea.
assert new File(basedir, 'target/lea-cache').isDirectory()
// Issue 18: the second run's tables and tests as JUnit XML, and its summary with the catalog version.
def suite = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/lea-reports/TEST-lea.xml'))
assert suite.@tests == '8' && suite.@failures == '0'
assert suite.testcase.find { it.@name == 'staging.orders' }.@classname == 'lea.table'
def summary = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/lea-reports/run.json'))
assert summary.succeeded == true
assert summary.scripts.size() == 8
assert summary.catalog.outcome == 'uploaded'
assert summary.catalog.version
assert summary.catalog.bytesUploaded == new File(basedir, 'target/bucket/shop_it.duckdb').length()
true
