// A real PostgreSQL (lea-core's PostgresServer, binaries from the tests' Maven artifact) holds the
// catalog, an in-process S3Proxy the data. Both run in the invoker's JVM, which outlives the forked
// builds; `context` carries them to verify.groovy, which stops them. The settings are lea.env, as
// the guide's "Moving to Postgres" shows them, with the two servers' ports filled in, as .env.
import dev.lea.sync.PostgresServer
import dev.lea.store.s3.S3ProxyServer
import java.nio.file.Files

// The scenario's project, shared with the ducklake-s3-* ITs (src/test/resources/it/ducklake-shop).
dev.lea.maven.InvokerProject.at(basedir).copy('ducklake-shop')
def postgres = PostgresServer.start('lake')
def s3 = null
try {
  s3 = S3ProxyServer.start(Files.createDirectories(new File(basedir, 'target/s3proxy').toPath()))
  s3.createBucket('my-bucket')
  new File(basedir, '.env').text = new File(basedir, 'lea.env').text
      .replace('${POSTGRES_PORT}', Integer.toString(postgres.port()))
      .replace('${S3_ENDPOINT}', s3.endpoint().authority)
} catch (Throwable e) {
  s3?.close()
  postgres.close()
  throw e
}
context.postgres = postgres
context.s3proxy = s3
true
