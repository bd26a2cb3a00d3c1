// The in-process GCS JSON-API fake serves the bucket to both forked builds: hooks run in the
// invoker's JVM, which outlives the builds, and `context` carries the fake to verify.groovy, which
// stops it. The builds find it through the project's .env, as a user's project would.
import dev.lea.maven.InvokerProject
import dev.lea.testing.FakeGcsServer

InvokerProject.at(basedir).copy('shop')
def fake = FakeGcsServer.start()
try {
  fake.createBucket('lake')
  new File(basedir, '.env') << "LEA_GCS_ENDPOINT=${fake.endpoint()}\n"
} catch (Throwable e) {
  fake.close()
  throw e
}
context.fakeGcs = fake
true
