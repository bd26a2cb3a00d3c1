def project = dev.lea.maven.InvokerProject.at(basedir)
project.assertFreshThenRerun()
assert new File(basedir, 'target/bucket/shop_it.duckdb').isFile() : 'the run uploaded no catalog'
assert !new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').exists() : 'a lock was left behind'
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
