package dev.lea.runner;

import java.util.List;

/**
 * What a run would do, in order: each step {@link ScriptRun.Status#PLANNED} or
 * {@link ScriptRun.Status#SKIPPED}, with the reason in {@link ScriptRun#message()}.
 */
public record Plan(List<ScriptRun> steps) {

  public Plan {
    steps = List.copyOf(steps);
  }

  /** Names that would run, in order. */
  public List<String> toRun() {
    return steps.stream().filter(s -> s.status() == ScriptRun.Status.PLANNED)
        .map(ScriptRun::name).toList();
  }

  /** Names that would be skipped as unmodified. */
  public List<String> skipped() {
    return steps.stream().filter(s -> s.status() == ScriptRun.Status.SKIPPED)
        .map(ScriptRun::name).toList();
  }

  /** A readable listing, one line per step. */
  public String describe() {
    StringBuilder text = new StringBuilder("Plan: " + toRun().size() + " to run, "
        + skipped().size() + " skipped");
    for (ScriptRun step : steps) {
      text.append(System.lineSeparator()).append(step.status() == ScriptRun.Status.PLANNED
          ? "  run   " : "  skip  ").append(step.name());
      if (!step.message().isEmpty()) {
        text.append(" (").append(step.message()).append(')');
      }
    }
    return text.toString();
  }
}
