package dev.lea.runner;

import java.util.ArrayList;
import java.util.List;

/**
 * The line a run starts with: what runs and what does not, each counted, so that the numbers add
 * up to the project's scripts and tests.
 */
final class RunHeading {

  private RunHeading() {}

  /**
   * {@code Running 5 of 18: 2 scripts, 3 tests; not running 13: 1 resumed from an earlier failed
   * run (core.orders), 12 not selected}.
   */
  static String of(boolean dryRun, List<TableName> order, List<TableName> resumed,
      Project project) {
    int scripts = (int) order.stream().filter(name -> !project.node(name).test()).count();
    int tests = order.size() - scripts;
    int total = project.nodes().size();
    int notSelected = total - order.size() - resumed.size();
    StringBuilder line = new StringBuilder(dryRun ? "Dry run: building and testing " : "Running ")
        .append(order.size()).append(" of ").append(total).append(": ")
        .append(count(scripts, "script")).append(", ").append(count(tests, "test"));
    List<String> skipped = new ArrayList<>();
    if (!resumed.isEmpty()) {
      skipped.add(resumed.size() + " resumed from the audit tables of an earlier failed run ("
          + String.join(", ", resumed.stream().map(TableName::toString).toList()) + ")");
    }
    if (notSelected > 0) {
      skipped.add(notSelected + " not selected");
    }
    if (!skipped.isEmpty()) {
      line.append("; not running ").append(total - order.size()).append(": ")
          .append(String.join(", ", skipped));
    }
    return line.toString();
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
