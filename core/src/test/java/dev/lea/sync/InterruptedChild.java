package dev.lea.sync;

import dev.lea.Reporter;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JVM that opens a session, changes the warehouse, prints {@code READY} and then waits to be
 * terminated; {@link SessionInterruptIT} sends it SIGTERM. Arguments: {@code projectDir
 * key=value...}.
 */
public final class InterruptedChild {

  private InterruptedChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    LeaConfig config = ConfigResolver.builder().projectDirectory(Path.of(args[0]))
        .configuration(settings).resolve();
    CatalogSession session = CatalogSync.open(config, new Reporter() {
      @Override
      public void info(String message) {
        System.out.println("INFO " + message);
      }

      @Override
      public void warn(String message) {
        System.out.println("WARN " + message);
      }
    });
    try (Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE interrupted AS SELECT 1 AS x");
    }
    System.out.println("READY " + session.runId());
    System.out.flush();
    System.in.read();
    session.commit();
  }
}
