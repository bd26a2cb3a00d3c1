package dev.lea.runner;

import dev.lea.LeaException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * lea's selection syntax, comma separated: {@code core.orders}, {@code core/} (a folder and its
 * subfolders), {@code core.orders+} (and what reads it), {@code +core.orders} (and what it reads),
 * {@code *} (everything).
 */
final class Selector {

  private final Project project;

  Selector(Project project) {
    this.project = project;
  }

  /** The nodes a selection names; every term must match something. */
  Set<TableName> select(String selection, String setting) {
    Set<TableName> selected = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String raw : selection.split(",")) {
      String term = raw.strip();
      if (term.isEmpty()) {
        continue;
      }
      boolean ancestors = term.startsWith("+");
      boolean descendants = term.endsWith("+") && term.length() > 1;
      String name = term.substring(ancestors ? 1 : 0, term.length() - (descendants ? 1 : 0));
      Set<TableName> matched = match(name);
      if (matched.isEmpty()) {
        unknown.add(name);
        continue;
      }
      for (TableName node : matched) {
        selected.add(node);
        if (ancestors) {
          selected.addAll(project.graph().ancestors(node));
        }
        if (descendants) {
          selected.addAll(project.graph().descendants(node));
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw unknown(unknown, setting);
    }
    return selected;
  }

  private Set<TableName> match(String name) {
    Set<TableName> matched = new LinkedHashSet<>();
    if (name.equals("*")) {
      matched.addAll(project.nodes().keySet());
    } else if (name.contains("/")) {
      List<String> folder = new ArrayList<>();
      for (String part : name.split("/")) {
        if (!part.isEmpty()) {
          folder.add(part.toLowerCase(Locale.ROOT));
        }
      }
      for (Node node : project.nodes().values()) {
        List<String> folders = node.folders().stream().map(f -> f.toLowerCase(Locale.ROOT))
            .toList();
        if (!folder.isEmpty() && folders.size() >= folder.size()
            && folders.subList(0, folder.size()).equals(folder)) {
          matched.add(node.name());
        }
      }
    } else {
      TableName exact = TableName.parse(name);
      if (project.nodes().containsKey(exact)) {
        matched.add(exact);
      } else {
        // lea's own spelling for nested folders: analytics.finance.kpis is analytics.finance__kpis
        String[] parts = name.split("\\.");
        if (parts.length > 2) {
          TableName nested = new TableName(parts[0],
              String.join("__", List.of(parts).subList(1, parts.length)));
          if (project.nodes().containsKey(nested)) {
            matched.add(nested);
          }
        }
      }
    }
    return matched;
  }

  private LeaException unknown(List<String> names, String setting) {
    StringBuilder message = new StringBuilder("Cannot select ");
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      message.append(i == 0 ? "" : "; ").append('\'').append(name).append("': no script has that"
          + " name");
      List<String> close = closeMatches(name);
      if (!close.isEmpty()) {
        message.append(" (did you mean ").append(String.join(", ", close)).append("?)");
      }
    }
    message.append(". Check ").append(setting).append(": scripts/core/orders.sql is core.orders,"
        + " a folder is core/.");
    return LeaException.user(message.toString());
  }

  /** Names near a mistyped one: folders for a folder, tables and tests otherwise. */
  private List<String> closeMatches(String name) {
    boolean folder = name.contains("/");
    Set<String> known = new LinkedHashSet<>();
    for (Node node : project.nodes().values()) {
      if (!folder) {
        known.add(node.name().toString());
        continue;
      }
      for (int depth = 1; depth <= node.folders().size(); depth++) {
        known.add(String.join("/", node.folders().subList(0, depth)) + "/");
      }
    }
    String wanted = name.toLowerCase(Locale.ROOT);
    if (folder && !wanted.endsWith("/")) {
      wanted += "/";
    }
    record Candidate(String name, int distance) {}
    List<Candidate> candidates = new ArrayList<>();
    for (String candidate : known) {
      String key = candidate.toLowerCase(Locale.ROOT);
      int distance = distance(wanted, key);
      if (distance <= Math.max(2, wanted.length() / 3) || key.contains(wanted)) {
        candidates.add(new Candidate(candidate, distance));
      }
    }
    candidates.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name));
    return candidates.stream().limit(3).map(Candidate::name).toList();
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
