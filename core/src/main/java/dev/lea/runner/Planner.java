package dev.lea.runner;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a run does, as lea's {@code conductor.py} ({@code determine_table_refs_to_run}):
 * every selected script runs, except those whose audit table an earlier failed run left and whose
 * script has not changed since; those are resumed (their audit rows are read downstream and
 * published with this run).
 */
final class Planner {

  /**
   * @param order the nodes to run, each after what it reads
   * @param resumed selected tables whose leftover audit table is published as is
   * @param reasons why each node runs or is resumed
   * @param running the tables built in this run
   * @param audited the tables whose readers read {@code <table>___audit}: those built now and
   *     every leftover audit table of an earlier failed run (lea {@code session.py},
   *     {@code _is_dep_audited})
   * @param leftovers leftover audit tables, removed once a run succeeds (lea removes them all)
   * @param orphans tables this runner published whose scripts are gone; dropped on success
   * @param incrementalTables the running or resumed tables built incrementally
   * @param concurrentWriters other runs may write the warehouse meanwhile, so the audit tables of
   *     scripts this run did not select are theirs, neither read nor dropped here
   */
  record RunPlan(List<TableName> order, List<TableName> resumed, Map<TableName, String> reasons,
      Set<TableName> running, Set<TableName> audited, Set<TableName> leftovers,
      List<TableName> orphans, Set<TableName> existing, Optional<Incremental> incremental,
      Set<TableName> incrementalTables, boolean concurrentWriters) {

    /** Tables promoted when the run succeeds, in dependency order. */
    List<TableName> promoted(Project project) {
      return project.graph().order().stream()
          .filter(name -> running.contains(name) || resumed.contains(name)).toList();
    }

    Plan toPlan(Project project) {
      List<ScriptRun> steps = new ArrayList<>();
      for (TableName name : order) {
        steps.add(step(project.node(name), ScriptRun.Status.PLANNED));
      }
      for (TableName name : resumed) {
        steps.add(step(project.node(name), ScriptRun.Status.RESUMED));
      }
      return new Plan(steps, orphans.stream().map(TableName::toString).toList());
    }

    private ScriptRun step(Node node, ScriptRun.Status status) {
      return new ScriptRun(node.name().toString(), node.test() ? ScriptRun.Kind.TEST
          : ScriptRun.Kind.TABLE, status, -1, 0, node.label(),
          reasons.getOrDefault(node.name(), ""));
    }
  }

  private Planner() {}

  static RunPlan plan(Project project, LeaConfig config, Warehouse warehouse) {
    Selector selector = new Selector(project);
    Optional<String> select = config.find(LeaSettings.SELECT);
    Set<TableName> selected = select
        .map(s -> selector.select(s, LeaSettings.SELECT + " (LEA_SELECT)"))
        .orElseGet(() -> new LinkedHashSet<>(project.nodes().keySet()));
    Optional<String> unselect = config.find(LeaSettings.UNSELECT);
    Set<TableName> unselected = unselect
        .map(s -> selector.select(s, LeaSettings.UNSELECT + " (LEA_UNSELECT)"))
        .orElse(Set.of());
    Set<TableName> candidates = new LinkedHashSet<>(selected);
    candidates.removeAll(unselected);
    if (candidates.isEmpty()) {
      throw LeaException.user("Cannot run: nothing is left of " + LeaSettings.SELECT + " '"
          + select.orElse("*") + "' after " + LeaSettings.UNSELECT + " '"
          + unselect.orElse("") + "'.");
    }
    Optional<Incremental> incremental = Incremental.from(config);
    boolean fresh = config.flag(LeaSettings.FRESH);
    boolean restart = fresh || config.flag(LeaSettings.RESTART);

    Set<TableName> existing;
    Map<TableName, Instant> leftovers = new LinkedHashMap<>();
    Set<TableName> recorded;
    boolean concurrentWriters;
    try {
      concurrentWriters = warehouse.concurrentWriters();
      existing = fresh ? Set.of() : warehouse.tables();
      if (!restart) {
        for (TableName table : project.tables()) {
          if (existing.contains(table.audit())
              && (!concurrentWriters || candidates.contains(table))) {
            warehouse.materializedAt(table.audit()).ifPresent(at -> leftovers.put(table, at));
          }
        }
      }
      recorded = warehouse.recorded(existing);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot read the warehouse's tables: " + e.getMessage(),
          e);
    }

    Map<TableName, String> reasons = new LinkedHashMap<>();
    Set<TableName> modified = new LinkedHashSet<>();
    for (Map.Entry<TableName, Instant> leftover : leftovers.entrySet()) {
      Node node = project.node(leftover.getKey());
      if (candidates.contains(node.name()) && node.modified().isAfter(leftover.getValue())) {
        modified.add(node.name());
        modified.addAll(project.graph().descendants(node.name()));
      }
    }
    Set<TableName> running = new LinkedHashSet<>();
    List<TableName> resumed = new ArrayList<>();
    for (TableName name : project.graph().order()) {
      Node node = project.node(name);
      if (node.test() || !candidates.contains(name)) {
        continue;
      }
      if (leftovers.containsKey(name) && !modified.contains(name)) {
        resumed.add(name);
        reasons.put(name, "resumed: its audit table from an earlier failed run ("
            + leftovers.get(name) + ") is newer than the script");
      } else {
        running.add(name);
        reasons.put(name, leftovers.containsKey(name) ? "modified since the failed run"
            : restart ? (fresh ? "fresh" : "restart") : "selected");
      }
    }
    List<TableName> tests = new ArrayList<>();
    for (TableName name : project.graph().order()) {
      Node node = project.node(name);
      if (!node.test() || unselected.contains(name)) {
        continue;
      }
      // lea runs a test that was selected, or whose tables all run now (conductor.py).
      if (selected.contains(name)) {
        reasons.put(name, "selected");
        tests.add(name);
      } else if (running.containsAll(node.dependencies())) {
        reasons.put(name, node.dependencies().isEmpty() ? "reads no script"
            : "checks " + String.join(", ", node.dependencies().stream()
                .map(TableName::toString).toList()));
        tests.add(name);
      }
    }
    Set<TableName> audited = new LinkedHashSet<>(running);
    audited.addAll(leftovers.keySet());
    Set<TableName> incrementalTables = new LinkedHashSet<>();
    incremental.ifPresent(inc -> audited.stream()
        .filter(t -> running.contains(t) || resumed.contains(t))
        .filter(t -> inc.marks(project.node(t))).forEach(incrementalTables::add));
    List<TableName> orphans = orphans(project, config, recorded,
        select.isEmpty() && unselect.isEmpty());
    return new RunPlan(interleave(project, running, tests), List.copyOf(resumed), reasons,
        running, audited, Set.copyOf(leftovers.keySet()), orphans, existing, incremental,
        incrementalTables, concurrentWriters);
  }

  /**
   * Tables this runner published whose scripts are gone. Only a full run (nothing selected or
   * unselected) drops them, and never more than half of the recorded tables without
   * {@code lea.dropOrphans}: a wrong scripts folder must not empty the warehouse.
   */
  private static List<TableName> orphans(Project project, LeaConfig config,
      Set<TableName> recorded, boolean fullRun) {
    if (!fullRun) {
      return List.of();
    }
    List<TableName> orphans = recorded.stream().filter(t -> !project.tables().contains(t))
        .toList();
    if (orphans.size() * 2 > recorded.size() && !config.flag(LeaSettings.DROP_ORPHANS)) {
      throw LeaException.user("Cannot drop " + orphans.size() + " of the " + recorded.size()
          + " tables this warehouse holds as orphans (their scripts are not in "
          + config.path(LeaSettings.SCRIPTS).orElse(project.directory().resolve("scripts"))
          + "): " + String.join(", ", orphans.stream().map(TableName::toString).toList())
          + ". Check " + LeaSettings.SCRIPTS + " (LEA_SCRIPTS); if these scripts were removed on"
          + " purpose, run again with -D" + LeaSettings.DROP_ORPHANS + "=true.");
    }
    return orphans;
  }

  /** Each test right after the last table it checks, so a failing test stops the run early. */
  private static List<TableName> interleave(Project project, Set<TableName> running,
      List<TableName> tests) {
    List<TableName> order = new ArrayList<>();
    List<TableName> pending = new ArrayList<>(tests);
    Set<TableName> built = new LinkedHashSet<>();
    addReadyTests(project, running, built, pending, order);
    for (TableName name : project.graph().order()) {
      if (running.contains(name)) {
        order.add(name);
        built.add(name);
        addReadyTests(project, running, built, pending, order);
      }
    }
    return List.copyOf(order);
  }

  private static void addReadyTests(Project project, Set<TableName> running,
      Set<TableName> built, List<TableName> pending, List<TableName> order) {
    for (Iterator<TableName> tests = pending.iterator(); tests.hasNext(); ) {
      TableName test = tests.next();
      if (project.node(test).dependencies().stream()
          .allMatch(d -> built.contains(d) || !running.contains(d))) {
        order.add(test);
        tests.remove();
      }
    }
  }
}
