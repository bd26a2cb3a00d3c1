package dev.lea.sync;

import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.reliability.ReliabilityChild;
import dev.lea.spi.LeaException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.List;

/**
 * A separate JVM running one session, driven line by line by {@link SessionProcessIT}: it prints
 * {@code OPENED} once the session is open, waits for a line on stdin, appends a row with its
 * label and the number of rows it saw, then commits and prints {@code COMMITTED} (exit 0) or
 * {@code CONFLICT <message>} (exit 3). With {@code -Dlea.test.rows=N} it also writes a table of
 * N rows, for tests that need the commit to write a lot; with {@code -Dlea.test.write=false} it
 * only counts the rows and writes nothing, so its catalog is unchanged.
 *
 * <p>Arguments: {@code label projectDir key=value...} (configuration by property name).
 */
public final class SessionChild {

  private SessionChild() {}

  public static void main(String[] args) throws Exception {
    String label = args[0];
    LeaConfig config = ReliabilityChild.config(args[1], List.of(args).subList(2, args.length));
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    try (CatalogSession session = CatalogSync.open(config, Reporters.printing())) {
      Reporters.print("OPENED " + session.runId());
      stdin.readLine();
      try (Statement s = session.connection().createStatement()) {
        long seen = ReliabilityChild.runsSeen(s);
        if (!Boolean.parseBoolean(System.getProperty("lea.test.write", "true"))) {
          session.commit();
          Reporters.print("COMMITTED");
          return;
        }
        s.execute("INSERT INTO runs VALUES ('" + label + "', " + seen + ")");
        int bulk = Integer.getInteger("lea.test.rows", 0);
        if (bulk > 0) {
          s.execute("CREATE TABLE bulk_" + label + " AS SELECT range AS i, md5(range::VARCHAR)"
              + " AS h FROM range(" + bulk + ")");
        }
      }
      session.commit();
      Reporters.print("COMMITTED");
    } catch (LeaException e) {
      Reporters.print("CONFLICT " + e.getMessage().replace('\n', ' '));
      System.exit(3);
    }
  }
}
