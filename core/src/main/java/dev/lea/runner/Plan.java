package dev.lea.runner;

import java.util.List;

/**
 * What a run would do, in order: each step {@link ScriptRun.Status#PLANNED} or
 * {@link ScriptRun.Status#RESUMED}, with the reason in {@link ScriptRun#message()}, and the orphan
 * tables a successful run drops.
 */
record Plan(List<ScriptRun> steps, List<String> orphans) {

  public Plan {
    steps = List.copyOf(steps);
    orphans = List.copyOf(orphans);
  }

  /** Names that would run, in order. */
  public List<String> toRun() {
    return steps.stream().filter(s -> s.status() == ScriptRun.Status.PLANNED)
        .map(ScriptRun::name).toList();
  }

  /** Names whose audit table from an earlier failed run would be reused. */
  public List<String> resumed() {
    return steps.stream().filter(s -> s.status() == ScriptRun.Status.RESUMED)
        .map(ScriptRun::name).toList();
  }

  /** A readable listing, one line per step. */
  public String describe() {
    StringBuilder text = new StringBuilder("Plan: " + toRun().size() + " to run, "
        + resumed().size() + " resumed, " + orphans.size() + " orphan"
        + (orphans.size() == 1 ? "" : "s") + " to drop");
    for (ScriptRun step : steps) {
      text.append(System.lineSeparator()).append(step.status() == ScriptRun.Status.PLANNED
          ? "  run     " : "  resume  ").append(step.name());
      if (!step.message().isEmpty()) {
        text.append(" (").append(step.message()).append(')');
      }
    }
    for (String orphan : orphans) {
      text.append(System.lineSeparator()).append("  drop    ").append(orphan)
          .append(" (its script is gone)");
    }
    return text.toString();
  }
}
