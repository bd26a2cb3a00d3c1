package dev.lea.lock;

import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileLockStrategyTest extends LockStrategyContractTest {

  @TempDir
  Path bucket;

  @Override
  protected ObjectStore newStore() {
    return ObjectStores.file(bucket);
  }
}
