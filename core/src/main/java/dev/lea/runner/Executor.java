package dev.lea.runner;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.Planner.RunPlan;
import dev.lea.runner.SqlParser.QualifiedColumn;
import dev.lea.runner.SqlParser.Reference;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Write-audit-publish. Every selected script is built into {@code <table>___audit}, reading the
 * audit tables of the other scripts of the run; the tests read them too. Steps whose tables are
 * built run side by side, up to {@code lea.threads} at once, as in lea. Only when everything
 * passed are the audit tables promoted, in one transaction on the caller's connection. After a
 * failure nothing is promoted and the audit tables stay: the next run resumes from them, as lea
 * does.
 */
final class Executor {

  private static final int SHOWN_ROWS = 5;
  private static final int COUNTED_ROWS = 10_000;
  private static final int STATE_TABLE_ATTEMPTS = 3;
  /** Python's cap on {@code ThreadPoolExecutor}'s default size, which lea uses. */
  private static final int LEA_MAX_WORKERS = 32;

  private final Warehouse warehouse;
  private final Project project;
  private final RunPlan plan;
  private final LeaConfig config;
  private final Reporter reporter;
  private final Map<TableName, ScriptRun> results = new LinkedHashMap<>();
  private String failure;
  // The first failed step's own line, which is the run's error and so not reported again.
  private String firstFailure;

  Executor(Warehouse warehouse, Project project, RunPlan plan, LeaConfig config,
      Reporter reporter) {
    this.warehouse = warehouse;
    this.project = project;
    this.plan = plan;
    this.config = config;
    this.reporter = reporter;
  }

  RunResult run() {
    boolean dryRun = config.flag(LeaSettings.DRY_RUN);
    String searchPath;
    try {
      searchPath = warehouse.setting("file_search_path");
      warehouse.execute("SET file_search_path = "
          + TableName.literal(project.directory().toString()));
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot set DuckDB's file_search_path: "
          + e.getMessage(), e);
    }
    try {
      prepare();
      int workers = workers();
      reporter.info(RunHeading.of(dryRun, plan.order(), plan.resumed(), project)
          + (workers > 1 ? "; up to " + workers + " at a time" : ""));
      if (workers > 1) {
        runSideBySide(workers);
      } else {
        for (TableName name : plan.order()) {
          Node node = project.node(name);
          if (failure != null) {
            results.put(name, notRun(node));
          } else {
            record(step(node, rewrite(node), warehouse));
          }
        }
      }
      if (dryRun) {
        discardBuilt();
      } else if (failure == null) {
        publish();
      }
    } finally {
      try {
        warehouse.execute("SET file_search_path = " + TableName.literal(searchPath));
      } catch (SQLException e) {
        reporter.warn("Cannot restore DuckDB's file_search_path: " + e.getMessage());
      }
    }
    List<ScriptRun> ordered = new ArrayList<>(results.values());
    if (failure != null || dryRun) {
      for (TableName name : plan.resumed()) {
        ordered.add(result(project.node(name), ScriptRun.Status.RESUMED, -1, 0,
            plan.reasons().get(name)));
      }
    }
    RunResult result = new RunResult(ordered, dryRun, failure);
    reporter.info(result.summary());
    return result;
  }

  /**
   * How many steps run at once: {@code lea.threads}, else lea's thread pool size, never more than
   * there are steps, and one when the warehouse takes one writer at a time.
   */
  private int workers() {
    long wanted = config.integer(LeaSettings.THREADS)
        .orElse((long) Math.min(LEA_MAX_WORKERS, Runtime.getRuntime().availableProcessors() + 4));
    int useful = (int) Math.min(wanted, plan.order().size());
    if (useful <= 1) {
      return 1;
    }
    Optional<String> reason;
    try {
      reason = warehouse.oneAtATime();
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot tell whether the scripts can run side by side: "
          + e.getMessage(), e);
    }
    if (reason.isPresent()) {
      reporter.info("Running one step at a time: " + reason.get() + " (a DuckLake catalog in"
          + " DuckDB or Postgres runs " + LeaSettings.THREADS + " steps at once).");
      return 1;
    }
    return useful;
  }

  /**
   * Runs each step once the tables it reads are built, up to {@code count} at once, as lea's
   * {@code materialize_scripts} ({@code conductor.py}) does: ready steps start in plan order;
   * after a failure no step starts, the running ones finish, and the rest are not run. The
   * results keep plan order, whatever order the steps finished in.
   */
  private void runSideBySide(int count) {
    List<TableName> order = plan.order();
    Map<TableName, Integer> position = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    Map<TableName, Set<TableName>> waiting = new HashMap<>();
    Map<TableName, List<TableName>> readers = new HashMap<>();
    TreeSet<Integer> ready = new TreeSet<>();
    for (TableName name : order) {
      Set<TableName> reads = new HashSet<>(project.node(name).dependencies());
      reads.retainAll(position.keySet());
      reads.remove(name);
      waiting.put(name, reads);
      reads.forEach(read -> readers.computeIfAbsent(read, r -> new ArrayList<>()).add(name));
      if (reads.isEmpty()) {
        ready.add(position.get(name));
      }
    }
    RuntimeException crash = null;
    try (Workers<Outcome> workers = new Workers<>(warehouse, count)) {
      while (true) {
        while (failure == null && crash == null && !ready.isEmpty() && workers.free()) {
          Node node = project.node(order.get(ready.pollFirst()));
          String sql = rewrite(node);
          reporter.info(node.name() + ": started");
          workers.submit(connection -> step(node, sql, connection));
        }
        if (!workers.busy()) {
          break;
        }
        Outcome outcome;
        try {
          outcome = workers.next();
        } catch (ExecutionException e) {
          if (crash == null) {
            crash = e.getCause() instanceof RuntimeException runtime ? runtime
                : LeaException.infrastructure("Cannot run the scripts: " + e.getCause(),
                    e.getCause());
          }
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw LeaException.infrastructure("Cannot finish the run: it was interrupted; the"
              + " audit tables built so far stay for the next run.", e);
        }
        record(outcome);
        if (!outcome.failed()) {
          for (TableName reader : readers.getOrDefault(outcome.name(), List.of())) {
            Set<TableName> left = waiting.get(reader);
            left.remove(outcome.name());
            if (left.isEmpty()) {
              ready.add(position.get(reader));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot open DuckDB connections for the scripts: "
          + e.getMessage(), e);
    }
    if (crash != null) {
      throw crash;
    }
    Map<TableName, ScriptRun> inPlanOrder = new LinkedHashMap<>();
    for (TableName name : order) {
      ScriptRun run = results.get(name);
      inPlanOrder.put(name, run != null ? run : notRun(project.node(name)));
    }
    results.clear();
    results.putAll(inPlanOrder);
  }

  /**
   * {@code lea.restart} (and {@code lea.fresh}) drop the audit tables an earlier failed run left,
   * as lea's {@code delete_audit_tables} does before a restart; a fresh start also drops the
   * selected scripts' tables and their records, so they are built from nothing. Where other runs
   * write at the same time, only the audit tables of this run's scripts are dropped.
   */
  private void prepare() {
    try {
      boolean fresh = config.flag(LeaSettings.FRESH);
      if (fresh || config.flag(LeaSettings.RESTART)) {
        Set<String> schemas = new LinkedHashSet<>();
        project.tables().forEach(table -> schemas.add(table.schema().toLowerCase(Locale.ROOT)));
        List<TableName> drop = new ArrayList<>();
        Set<TableName> existing = warehouse.tables();
        Set<TableName> ownAudits = plan.running().stream().map(TableName::audit)
            .collect(Collectors.toSet());
        for (TableName table : existing) {
          if (table.table().endsWith(TableName.AUDIT_SUFFIX)
              && schemas.contains(table.schema().toLowerCase(Locale.ROOT))
              && (!plan.concurrentWriters() || ownAudits.contains(table))) {
            drop.add(table);
          }
        }
        if (fresh) {
          List<TableName> selected = plan.running().stream().filter(existing::contains)
              .toList();
          drop.addAll(selected);
          if (existing.contains(Warehouse.STATE)) {
            for (TableName table : selected) {
              warehouse.forget(table);
            }
          }
          reporter.info("Fresh start: dropping " + selected.size() + " tables");
        }
        warehouse.drop(drop);
      }
      for (TableName table : plan.running()) {
        if (!table.schema().isEmpty()) {
          warehouse.execute("CREATE SCHEMA IF NOT EXISTS " + TableName.quote(table.schema()));
        }
      }
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot prepare the warehouse: " + e.getMessage(), e);
    }
  }

  /**
   * Builds the audit table, stamped with {@code _materialized_timestamp} as lea's DuckDB client
   * stamps it ({@code databases.py}, {@code materialize_sql_script}); a stamp the query carries
   * from upstream is replaced rather than duplicated.
   */
  private Outcome step(Node node, String sql, Warehouse on) {
    return node.test() ? test(node, sql, on) : build(node, sql, on);
  }

  private Outcome build(Node node, String sql, Warehouse on) {
    TableName audit = node.name().audit();
    boolean incremental = plan.incrementalTables().contains(node.name());
    String query = "SELECT COLUMNS(c -> c <> " + TableName.literal(Warehouse.MATERIALIZED_AT)
        + "), CURRENT_LOCALTIMESTAMP() AS " + TableName.quote(Warehouse.MATERIALIZED_AT)
        + " FROM (\n" + sql + "\n)"
        + (incremental ? " WHERE " + plan.incremental().get().in() : "");
    long started = System.nanoTime();
    try {
      on.execute("CREATE OR REPLACE TABLE " + audit.sql() + " AS " + query);
      long rows = on.count(audit);
      double seconds = seconds(started);
      return new Outcome(node.name(), result(node, ScriptRun.Status.BUILT, rows, seconds,
          incremental ? "incremental " + plan.incremental().get() : ""),
          String.format(Locale.ROOT, "%s: %,d %s, %.2f s%s", node.name(), rows,
              rows == 1 ? "row" : "rows", seconds, incremental ? " (incremental)" : ""), false);
    } catch (SQLException e) {
      String message = "Cannot run " + node.name() + ": "
          + SqlErrors.describe(e.getMessage(), node, 1);
      return failed(node, message, seconds(started));
    }
  }

  /**
   * A dry run promotes nothing; the audit tables it built go too, so the next real run does not
   * resume from them. Audit tables an earlier failed run left stay for the run that resumes.
   */
  private void discardBuilt() {
    List<TableName> built = plan.running().stream().map(TableName::audit).toList();
    try {
      warehouse.drop(built);
    } catch (SQLException e) {
      reporter.warn("Cannot drop the audit tables of the dry run: " + e.getMessage());
    }
    reporter.info("Dry run: built and tested " + built.size() + " audit "
        + (built.size() == 1 ? "table" : "tables") + "; nothing was promoted"
        + (plan.orphans().isEmpty() ? "" : " and no orphan dropped (a run would drop "
            + String.join(", ", plan.orphans().stream().map(TableName::toString).toList())
            + ")") + ".");
  }

  private Outcome test(Node node, String query, Warehouse on) {
    long started = System.nanoTime();
    try (Statement statement = on.connection().createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      ResultSetMetaData columns = rows.getMetaData();
      List<String> shown = new ArrayList<>();
      int count = 0;
      while (count < COUNTED_ROWS && rows.next()) {
        if (count < SHOWN_ROWS) {
          List<String> values = new ArrayList<>();
          for (int i = 1; i <= columns.getColumnCount(); i++) {
            values.add(columns.getColumnLabel(i) + "=" + rows.getString(i));
          }
          shown.add("{" + String.join(", ", values) + "}");
        }
        count++;
      }
      double seconds = seconds(started);
      if (count == 0) {
        return new Outcome(node.name(), result(node, ScriptRun.Status.PASSED, -1, seconds, ""),
            String.format(Locale.ROOT, "%s: passed, %.2f s", node.name(), seconds), false);
      } else {
        return failed(node, "Test " + node.name() + " failed: it returned "
            + (count == COUNTED_ROWS ? "at least " : "") + count + (count == 1 ? " row" : " rows")
            + " [" + node.label() + "]. First rows: " + String.join(", ", shown), seconds);
      }
    } catch (SQLException e) {
      return failed(node, "Cannot run test " + node.name() + ": "
          + SqlErrors.describe(e.getMessage(), node, 0), seconds(started));
    }
  }

  private static Outcome failed(Node node, String message, double seconds) {
    return new Outcome(node.name(), result(node, ScriptRun.Status.FAILED, -1, seconds, message),
        message, true);
  }

  /**
   * Takes a finished step into the results and reports it. The first failure's message is the
   * run's error, which the front-end shows once, so its own line is short; a step running beside
   * it that fails too is reported with its message here, since the error does not repeat it.
   */
  private void record(Outcome outcome) {
    results.put(outcome.name(), outcome.run());
    if (outcome.failed()) {
      if (failure == null) {
        firstFailure = outcome.line();
        failure = outcome.line() + ". Nothing was published; the audit tables built so far stay,"
            + " and the next run resumes from them (lea.restart=true starts over).";
      }
      reporter.warn(outcome.line().equals(firstFailure) ? String.format(Locale.ROOT,
          "%s: failed, %.2f s", outcome.name(), outcome.run().seconds()) : outcome.line());
    } else {
      reporter.info(outcome.line());
    }
  }

  private static ScriptRun notRun(Node node) {
    return result(node, ScriptRun.Status.NOT_RUN, -1, 0, "an earlier step failed");
  }

  /**
   * Points the query at the audit tables of this run: each reference to a running script's table
   * is replaced at the position DuckDB's parser reported. A reference without an alias keeps its
   * table name as alias ({@code core.orders} becomes {@code "core"."orders___audit" AS "orders"}),
   * so {@code orders.id} still binds; {@code core.orders.id} becomes {@code "orders".id}.
   */
  private String rewrite(Node node) {
    List<Rewriter.Edit> edits = new ArrayList<>();
    Set<TableName> aliased = new LinkedHashSet<>();
    Set<TableName> renamed = new LinkedHashSet<>();
    for (Reference reference : node.parsed().references()) {
      TableName target = Project.target(reference, node.parsed(), project.tables());
      if (target == null) {
        continue;
      }
      String source = source(node, target);
      if (source == null) {
        continue;
      }
      if (reference.offset() < 0) {
        throw LeaException.infrastructure("Cannot point " + node.label() + " at the audit table"
            + " of " + target + ": DuckDB's parser gave no position for the reference.", null);
      }
      String replacement = source;
      if (reference.alias().isEmpty()) {
        // Two tables of one FROM clause may share a name (staging.orders JOIN core.orders); an
        // explicit alias for each would be a duplicate, so they keep DuckDB's implicit names.
        if (node.parsed().uniqueInScope(reference, reference.table())) {
          replacement += " AS " + TableName.quote(reference.table());
          aliased.add(target);
        } else if (!reference.schema().isEmpty()) {
          renamed.add(target);
        }
      }
      int parts = reference.schema().isEmpty() ? 1 : 2;
      edits.add(new Rewriter.Edit(reference.offset(), parts, reference.table(), replacement));
    }
    for (QualifiedColumn column : node.parsed().qualifiedColumns()) {
      List<String> parts = column.parts();
      TableName named = new TableName(parts.get(0), parts.get(1));
      if (parts.size() != 3 || column.offset() < 0) {
        continue;
      }
      if (aliased.contains(named)) {
        edits.add(new Rewriter.Edit(column.offset(), 2, parts.get(1),
            TableName.quote(parts.get(1))));
      } else if (renamed.contains(named) && plan.audited().contains(named)) {
        edits.add(new Rewriter.Edit(column.offset(), 2, parts.get(1), named.audit().sql()));
      }
    }
    if (edits.isEmpty()) {
      return node.sql();
    }
    try {
      return Rewriter.apply(node.sql(), edits);
    } catch (IllegalStateException e) {
      throw LeaException.infrastructure("Cannot point " + node.label() + " at this run's audit"
          + " tables: " + e.getMessage() + ".", e);
    }
  }

  /** What a reference to {@code target} reads in this run, or {@code null} to leave it as is. */
  private String source(Node reader, TableName target) {
    boolean running = plan.audited().contains(target);
    String table = running ? target.audit().sql() : target.sql();
    if (plan.incremental().isEmpty()) {
      return running ? table : null;
    }
    Incremental incremental = plan.incremental().get();
    boolean readerIncremental = plan.incrementalTables().contains(reader.name());
    boolean targetIncremental = plan.incrementalTables().contains(target);
    if (readerIncremental && !targetIncremental && incremental.filterable(project.node(target))) {
      return "(SELECT * FROM " + table + " WHERE " + incremental.in() + ")";
    }
    if (!readerIncremental && targetIncremental) {
      // The audit table only holds the new values; the rest still lives in the published table.
      return plan.existing().contains(target)
          ? "(SELECT * FROM " + table + " WHERE " + incremental.in() + " UNION ALL BY NAME"
              + " SELECT * FROM " + target.sql() + " WHERE " + incremental.notIn() + ")"
          : table;
    }
    return running ? table : null;
  }

  /**
   * Creates lea's state table in commits of its own, before the publish transaction. Writers
   * sharing a DuckLake on Postgres may create it at the same moment: DuckLake lets one commit and
   * fails the others with a transaction conflict, after which the table exists for them too.
   */
  private void ensureStateTable() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        warehouse.ensureStateTable();
        return;
      } catch (SQLException e) {
        if (attempt == STATE_TABLE_ATTEMPTS
            || !String.valueOf(e.getMessage()).contains("Transaction conflict")) {
          throw e;
        }
      }
    }
  }

  /**
   * Promotes every audit table of the run, built or resumed, records the scripts' state, removes
   * the leftover audit tables and the orphans, all in one transaction.
   */
  private void publish() {
    List<TableName> promoted = plan.promoted(project);
    Connection connection = warehouse.connection();
    boolean ownTransaction;
    try {
      ownTransaction = connection.getAutoCommit();
      if (ownTransaction) {
        ensureStateTable();
      }
      if (ownTransaction) {
        connection.setAutoCommit(false);
      }
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot start the publish transaction: "
          + e.getMessage(), e);
    }
    TableName current = null;
    long started = System.nanoTime();
    try {
      Instant now = Instant.now();
      warehouse.ensureStateTable();
      long runId = warehouse.nextRunId();
      for (TableName table : promoted) {
        current = table;
        promote(table);
        warehouse.record(table, project.node(table).hash(), runId, now);
      }
      current = null;
      for (TableName leftover : plan.leftovers()) {
        if (!promoted.contains(leftover)) {
          warehouse.drop(List.of(leftover.audit()));
        }
      }
      for (TableName orphan : plan.orphans()) {
        warehouse.drop(List.of(orphan, orphan.audit()));
        warehouse.forget(orphan);
      }
      if (ownTransaction) {
        connection.commit();
      }
    } catch (SQLException e) {
      rollback(connection, ownTransaction);
      failure = "Cannot publish " + (current == null ? "the run" : current.toString()) + ": "
          + e.getMessage() + ". Nothing was published; the audit tables stay, and the next run"
          + " resumes from them.";
      return;
    } finally {
      try {
        if (ownTransaction) {
          connection.setAutoCommit(true);
        }
      } catch (SQLException e) {
        reporter.warn("Cannot restore auto-commit on the connection: " + e.getMessage());
      }
    }
    for (TableName table : plan.running()) {
      ScriptRun run = results.get(table);
      results.put(table, new ScriptRun(run.name(), run.kind(), ScriptRun.Status.PUBLISHED,
          run.rows(), run.seconds(), run.source(), run.message()));
    }
    for (TableName table : plan.resumed()) {
      results.put(table, result(project.node(table), ScriptRun.Status.RESUMED, -1, 0,
          plan.reasons().get(table) + "; published"));
    }
    reporter.info(String.format(Locale.ROOT, "Published %d %s in %.2f s%s", promoted.size(),
        promoted.size() == 1 ? "table" : "tables", seconds(started),
        plan.resumed().isEmpty() ? "" : " (" + plan.resumed().size() + " resumed)"));
    for (TableName orphan : plan.orphans()) {
      reporter.info("Dropped " + orphan + ": its script is gone");
    }
  }

  /**
   * A metadata-only rename moves the audit table into place, so its data is written once; an
   * incremental table replaces only the rows of its values.
   */
  private void promote(TableName table) throws SQLException {
    TableName audit = table.audit();
    if (plan.incrementalTables().contains(table) && plan.existing().contains(table)) {
      Incremental incremental = plan.incremental().get();
      warehouse.execute("ALTER TABLE " + table.sql() + " ADD COLUMN IF NOT EXISTS "
          + TableName.quote(Warehouse.MATERIALIZED_AT) + " TIMESTAMP");
      warehouse.execute("DELETE FROM " + table.sql() + " WHERE " + incremental.in());
      warehouse.execute("INSERT INTO " + table.sql() + " BY NAME SELECT * FROM " + audit.sql());
      warehouse.execute("DROP TABLE " + audit.sql());
    } else {
      warehouse.execute("DROP TABLE IF EXISTS " + table.sql());
      warehouse.execute("ALTER TABLE " + audit.sql() + " RENAME TO "
          + TableName.quote(table.table()));
    }
  }

  private void rollback(Connection connection, boolean ownTransaction) {
    if (!ownTransaction) {
      return;
    }
    try {
      connection.rollback();
    } catch (SQLException e) {
      reporter.warn("Cannot roll back the publish transaction: " + e.getMessage());
    }
  }

  private static ScriptRun result(Node node, ScriptRun.Status status, long rows, double seconds,
      String message) {
    return new ScriptRun(node.name().toString(), node.test() ? ScriptRun.Kind.TEST
        : ScriptRun.Kind.TABLE, status, rows, seconds, node.label(), message);
  }

  /** What a step did: its result and the line that reports it (the error when it failed). */
  private record Outcome(TableName name, ScriptRun run, String line, boolean failed) {}

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
