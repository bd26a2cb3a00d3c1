package dev.lea.store;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A store opened for each test, with keys under a fresh prefix per test, so that the tests of a
 * contract may share one bucket.
 */
public abstract class StoreFixture {

  private final String prefixName;
  protected ObjectStore store;
  protected String prefix;

  /** @param prefixName what the per-test prefix starts with, e.g. {@code contract} */
  protected StoreFixture(String prefixName) {
    this.prefixName = prefixName;
  }

  /** A store to test; closed after each test. */
  protected abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  protected void openStore() throws Exception {
    store = newStore();
    prefix = prefixName + "-" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  @AfterEach
  protected void closeStore() throws Exception {
    store.close();
  }
}
