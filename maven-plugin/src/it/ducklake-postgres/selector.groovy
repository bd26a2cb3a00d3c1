// Runs only where DuckDB can load ducklake, postgres and httpfs with the extension settings of the
// environment (LEA_DUCKDB_EXTENSION_DIRECTORY, LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS), which the
// forked builds inherit, and where the PostgreSQL binaries of the tests run (linux-amd64);
// otherwise it is reported as skipped, and this prints why.
import dev.lea.sync.DuckLakeExtensions

def os = System.getProperty('os.name').toLowerCase(Locale.ROOT)
def arch = System.getProperty('os.arch')
if (!os.contains('linux') || !(arch in ['amd64', 'x86_64'])) {
  println "[WARNING] ${basedir.name} is skipped: the PostgreSQL binaries of the tests are for linux-amd64, not ${os}/${arch}"
  return false
}
def reason = DuckLakeExtensions.notLoadable('ducklake', 'postgres', 'httpfs')
if (reason.present) {
  println "[WARNING] ${basedir.name} is skipped: ${reason.get()}"
  return false
}
return true
