// An in-process S3Proxy serves the bucket to both forked builds: hooks run in the invoker's JVM,
// which outlives the builds, and `context` carries the server to verify.groovy, which stops it.
// The builds find it through the project's .env, as a user's project would.
import dev.lea.maven.InvokerProject
import dev.lea.store.s3.S3ProxyServer
import java.nio.file.Files

InvokerProject.at(basedir).copy('shop')
def server = S3ProxyServer.start(Files.createDirectories(new File(basedir, 'target/s3proxy').toPath()))
try {
  server.createBucket('lake')
  new File(basedir, '.env') << "LEA_S3_ENDPOINT=${server.endpoint()}\n"
} catch (Throwable e) {
  server.close()
  throw e
}
context.s3proxy = server
true
