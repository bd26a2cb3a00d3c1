package dev.lea.runner;

import dev.lea.LeaException;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.Warehouse.State;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Decides what a run does: the selection, then which selected scripts are stale. */
final class Planner {

  /**
   * @param order the nodes to run, each after what it reads
   * @param reasons why each node runs or is skipped
   * @param running the tables built in this run (their readers read the audit tables)
   * @param incrementalTables the running tables built incrementally
   */
  record RunPlan(List<TableName> order, List<TableName> skipped, Map<TableName, String> reasons,
      Set<TableName> running, Set<TableName> existing, Optional<Incremental> incremental,
      Set<TableName> incrementalTables) {

    Plan toPlan(Project project) {
      List<ScriptRun> steps = new ArrayList<>();
      for (TableName name : order) {
        steps.add(step(project.node(name), ScriptRun.Status.PLANNED));
      }
      for (TableName name : skipped) {
        steps.add(step(project.node(name), ScriptRun.Status.SKIPPED));
      }
      return new Plan(steps);
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
    Set<TableName> unselected = config.find(LeaSettings.UNSELECT)
        .map(s -> selector.select(s, LeaSettings.UNSELECT + " (LEA_UNSELECT)"))
        .orElse(Set.of());
    Set<TableName> candidates = new LinkedHashSet<>(selected);
    candidates.removeAll(unselected);
    if (candidates.isEmpty()) {
      throw LeaException.user("Cannot run: nothing is left of " + LeaSettings.SELECT + " '"
          + select.orElse("*") + "' after " + LeaSettings.UNSELECT + " '"
          + config.find(LeaSettings.UNSELECT).orElse("") + "'.");
    }
    Optional<Incremental> incremental = Incremental.from(config);
    boolean fresh = config.flag(LeaSettings.FRESH);
    // Incremental values are new data by definition, so nothing counts as unmodified then.
    String forced = fresh ? "fresh" : config.flag(LeaSettings.RESTART) ? "restart"
        : incremental.map(inc -> "incremental " + inc).orElse(null);

    Set<TableName> existing;
    Map<TableName, State> states;
    try {
      existing = fresh ? Set.of() : warehouse.tables();
      states = fresh ? Map.of() : warehouse.states(existing);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot read the warehouse's tables: " + e.getMessage(),
          e);
    }

    Set<TableName> running = new LinkedHashSet<>();
    List<TableName> skipped = new ArrayList<>();
    Map<TableName, String> reasons = new LinkedHashMap<>();
    for (TableName name : project.graph().order()) {
      Node node = project.node(name);
      if (node.test() || !candidates.contains(name)) {
        continue;
      }
      String reason = forced != null ? forced : staleness(node, existing, states, running);
      if (reason == null) {
        skipped.add(name);
        reasons.put(name, "unmodified");
      } else {
        running.add(name);
        reasons.put(name, reason);
      }
    }
    List<TableName> tests = new ArrayList<>();
    for (TableName name : project.graph().order()) {
      Node node = project.node(name);
      if (!node.test() || unselected.contains(name)) {
        continue;
      }
      String reason = testReason(node, running, select.isPresent() && selected.contains(name));
      if (reason != null) {
        reasons.put(name, reason);
        tests.add(name);
      }
    }
    Set<TableName> incrementalTables = new LinkedHashSet<>();
    incremental.ifPresent(inc -> running.stream().filter(t -> inc.marks(project.node(t)))
        .forEach(incrementalTables::add));
    return new RunPlan(interleave(project, running, tests), List.copyOf(skipped), reasons,
        running, existing, incremental, incrementalTables);
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

  /** Why a script must run, or {@code null} when its table is up to date. */
  private static String staleness(Node node, Set<TableName> existing,
      Map<TableName, State> states, Set<TableName> running) {
    if (!existing.contains(node.name())) {
      return "table missing";
    }
    State state = states.get(node.name());
    if (state == null) {
      return "no record of a previous run";
    }
    if (!state.hash().equals(node.hash())) {
      return "modified";
    }
    for (TableName dependency : node.dependencies()) {
      if (running.contains(dependency)) {
        return "reads " + dependency + ", which runs";
      }
      State upstream = states.get(dependency);
      if (upstream == null || upstream.runId() > state.runId()) {
        return "reads " + dependency + ", rebuilt since";
      }
    }
    return null;
  }

  /**
   * A test runs when it checks something built in this run, when it was selected explicitly, or,
   * reading no script at all, whenever anything runs.
   */
  private static String testReason(Node test, Set<TableName> running, boolean selectedExplicitly) {
    for (TableName dependency : test.dependencies()) {
      if (running.contains(dependency)) {
        return "checks " + dependency;
      }
    }
    if (selectedExplicitly) {
      return "selected";
    }
    if (test.dependencies().isEmpty() && !running.isEmpty()) {
      return "reads no script";
    }
    return null;
  }
}
