package dev.lea.store;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server one test class and its nested classes share, registered as a static
 * {@code @RegisterExtension} field: started before the outermost class, stopped after it. Nested
 * classes run the callbacks of their enclosing class's extensions too, hence the count.
 */
public abstract class SharedServer implements BeforeAllCallback, AfterAllCallback {

  private int depth;
  private AutoCloseable server;

  /** Starts the server; what it answers is closed after the outermost class. */
  protected abstract AutoCloseable start() throws Exception;

  @Override
  public final void beforeAll(ExtensionContext context) throws Exception {
    if (depth++ == 0) {
      server = start();
    }
  }

  @Override
  public final void afterAll(ExtensionContext context) throws Exception {
    if (--depth == 0) {
      server.close();
    }
  }
}
