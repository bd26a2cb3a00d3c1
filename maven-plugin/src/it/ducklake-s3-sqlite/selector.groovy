// Runs only where DuckDB can load ducklake, sqlite and httpfs with the extension settings of the
// environment (LEA_DUCKDB_EXTENSION_DIRECTORY, LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS), which the
// forked builds inherit; otherwise it is reported as skipped, and this prints why.
import dev.lea.sync.DuckLakeExtensions

def reason = DuckLakeExtensions.notLoadable('ducklake', 'sqlite', 'httpfs')
if (reason.present) {
  println "[WARNING] ${basedir.name} is skipped: ${reason.get()}"
  return false
}
return true
