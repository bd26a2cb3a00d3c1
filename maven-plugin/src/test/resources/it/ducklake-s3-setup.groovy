// The ducklake-s3-* ITs' setup, evaluated by their setup.groovy. An in-process S3Proxy serves the
// bucket to all forked builds: hooks run in the invoker's JVM, which outlives the builds, and
// `context` carries the server to verify.groovy, which stops it.
// The store's endpoint and DuckDB's S3 secret name its port, so they go to the project's .env.
import dev.lea.store.s3.S3ProxyServer
import java.nio.file.Files

def server = S3ProxyServer.start(Files.createDirectories(new File(basedir, 'target/s3proxy').toPath()))
try {
  server.createBucket('my-bucket')
  def endpoint = server.endpoint()
  new File(basedir, '.env') << """LEA_S3_ENDPOINT=${endpoint}
LEA_S3_PATH_STYLE=true
LEA_S3_REGION=us-east-1
LEA_DUCKDB_SECRETS="TYPE s3, KEY_ID 'lea-test-access', SECRET 'lea-test-secret', REGION 'us-east-1', ENDPOINT '${endpoint.authority}', URL_STYLE 'path', USE_SSL false"
"""
} catch (Throwable e) {
  server.close()
  throw e
}
context.s3proxy = server
true
