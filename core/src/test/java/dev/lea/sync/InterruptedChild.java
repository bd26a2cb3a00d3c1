package dev.lea.sync;

import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.reliability.ReliabilityChild;
import java.sql.Statement;
import java.util.List;

/**
 * A JVM that opens a session, changes the warehouse, prints {@code READY} and then waits to be
 * terminated; {@link SessionInterruptIT} sends it SIGTERM. Arguments: {@code projectDir
 * key=value...}.
 */
public final class InterruptedChild {

  private InterruptedChild() {}

  public static void main(String[] args) throws Exception {
    LeaConfig config = ReliabilityChild.config(args[0], List.of(args).subList(1, args.length));
    CatalogSession session = CatalogSync.open(config, Reporters.printing());
    try (Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE interrupted AS SELECT 1 AS x");
    }
    System.out.println("READY " + session.runId());
    System.out.flush();
    System.in.read();
    session.commit();
  }
}
