// Runs only where DuckDB can load ducklake and httpfs with the extension settings of the
// environment (LEA_DUCKDB_EXTENSION_DIRECTORY, LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS), which the
// forked builds inherit; otherwise it is reported as skipped, and this prints why.
import dev.lea.spi.LeaException
import dev.lea.config.ConfigResolver
import dev.lea.duckdb.DuckDb

def config = ConfigResolver.fromProcess(basedir.toPath()).resolve()
try {
  DuckDb.open(null, config).withCloseable { c ->
    ['ducklake', 'httpfs'].each { DuckDb.load(c, it, config) }
  }
  return true
} catch (LeaException e) {
  println "[WARNING] ${basedir.name} is skipped: ${e.message}"
  return false
}
