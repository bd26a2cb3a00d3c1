package dev.lea.runner;

import dev.lea.spi.LeaException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The dependency graph of a project; a cycle is refused when the graph is built. */
final class Graph {

  private final Map<TableName, Set<TableName>> dependencies;
  private final Map<TableName, Set<TableName>> dependents = new HashMap<>();
  private final List<TableName> order;

  /** {@code dependencies} in a stable order, so runs and plans are reproducible. */
  Graph(Map<TableName, Set<TableName>> dependencies) {
    this.dependencies = dependencies;
    for (Map.Entry<TableName, Set<TableName>> entry : dependencies.entrySet()) {
      for (TableName dependency : entry.getValue()) {
        dependents.computeIfAbsent(dependency, k -> new LinkedHashSet<>()).add(entry.getKey());
      }
    }
    this.order = topologicalOrder();
  }

  /** Every node, each after the nodes it reads. */
  List<TableName> order() {
    return order;
  }

  Set<TableName> dependenciesOf(TableName node) {
    return dependencies.getOrDefault(node, Set.of());
  }

  Set<TableName> ancestors(TableName node) {
    return closure(node, dependencies);
  }

  Set<TableName> descendants(TableName node) {
    return closure(node, dependents);
  }

  private static Set<TableName> closure(TableName start, Map<TableName, Set<TableName>> edges) {
    Set<TableName> seen = new LinkedHashSet<>();
    Deque<TableName> pending = new ArrayDeque<>(edges.getOrDefault(start, Set.of()));
    while (!pending.isEmpty()) {
      TableName next = pending.pop();
      if (seen.add(next)) {
        pending.addAll(edges.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }

  private List<TableName> topologicalOrder() {
    List<TableName> result = new ArrayList<>();
    Set<TableName> done = new HashSet<>();
    for (TableName node : dependencies.keySet()) {
      visit(node, new ArrayList<>(), new HashSet<>(), done, result);
    }
    return List.copyOf(result);
  }

  private void visit(TableName node, List<TableName> path, Set<TableName> onPath,
      Set<TableName> done, List<TableName> result) {
    if (done.contains(node)) {
      return;
    }
    if (onPath.contains(node)) {
      List<TableName> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      throw LeaException.user("Cannot order the scripts: they form a cycle " + arrows(cycle)
          + " (each reads the next). Remove one of these references.");
    }
    path.add(node);
    onPath.add(node);
    for (TableName dependency : dependenciesOf(node)) {
      visit(dependency, path, onPath, done, result);
    }
    path.remove(path.size() - 1);
    onPath.remove(node);
    done.add(node);
    result.add(node);
  }

  private static String arrows(Collection<TableName> names) {
    List<String> text = new ArrayList<>();
    names.forEach(name -> text.add(name.toString()));
    return String.join(" -> ", text);
  }
}
