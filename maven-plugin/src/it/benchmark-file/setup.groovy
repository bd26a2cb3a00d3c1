// Another machine's live lock on the catalog, written through lea's file store with the lock body
// of SPEC §3, so the test does not depend on the store's on-disk format.
import dev.lea.store.Condition
import dev.lea.store.ObjectStores
import java.time.Instant

def now = Instant.now()
def body = """{"id":"it-held-lock","who":"ci@build-agent","pid":4242,"operation":"run",
"created":"${now}","expires":"${now.plusSeconds(3600)}","version":"0.1.0"}""".getBytes('UTF-8')
ObjectStores.file(new File(basedir, 'target/bucket').toPath())
    .put('.lea/locks/shop_it.duckdb.lock', new ByteArrayInputStream(body), body.length, [:], Condition.ifAbsent())
new File(basedir, 'target/lock-before').bytes = new File(basedir, 'target/bucket/.lea/locks/shop_it.duckdb.lock').bytes
true
