def log = new File(basedir, 'build.log').text
assert !new File(basedir, 'pom.xml').exists()
assert log.contains('Building Maven Stub Project (No POM)')
assert log.contains('Published 1 table')
assert new File(basedir, 'target/bucket/warehouse_it.duckdb').isFile()
// lea:status, found by its prefix, reads the project's .env from the current directory.
assert log =~ /lea\.cache\.dir\s+target\/lea-cache\s+\(\.env\)/
assert log =~ /Catalog file:\S+\/warehouse_it\.duckdb:/
assert log.contains('Lock: free.')
true
