package dev.lea.runner;

import dev.lea.spi.LeaException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The outcome of {@link LeaRunner#run}: one entry per script and test, in run order. */
public final class RunResult {

  private final List<ScriptRun> scripts;
  private final boolean dryRun;
  private final String failure;

  RunResult(List<ScriptRun> scripts, boolean dryRun, String failure) {
    this.scripts = List.copyOf(scripts);
    this.dryRun = dryRun;
    this.failure = failure;
  }

  public List<ScriptRun> scripts() {
    return scripts;
  }

  public Optional<ScriptRun> script(String name) {
    return scripts.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
  }

  public boolean dryRun() {
    return dryRun;
  }

  /** Every script and test passed and the tables were published (or, for a dry run, planned). */
  public boolean succeeded() {
    return failure == null;
  }

  /** Tables whose audit table from an earlier failed run was reused (lea's resume). */
  public List<String> resumed() {
    return scripts.stream().filter(s -> s.status() == ScriptRun.Status.RESUMED)
        .map(ScriptRun::name).toList();
  }

  public List<String> published() {
    return scripts.stream().filter(s -> s.status() == ScriptRun.Status.PUBLISHED)
        .map(ScriptRun::name).toList();
  }

  public List<ScriptRun> failures() {
    return scripts.stream().filter(s -> s.status() == ScriptRun.Status.FAILED).toList();
  }

  /** Why the run failed: the failing script or test, its error, and what was left behind. */
  public Optional<String> failureMessage() {
    return Optional.ofNullable(failure);
  }

  /** For front-ends that fail the build: a {@link LeaException.Kind#RUN} error when it failed. */
  public void throwIfFailed() {
    if (failure != null) {
      throw LeaException.run(failure, null);
    }
  }

  /** A plain-text table: name, kind, status, rows, seconds. */
  public String summary() {
    int width = "script".length();
    for (ScriptRun script : scripts) {
      width = Math.max(width, script.name().length());
    }
    String format = "%-" + width + "s  %-5s  %-9s  %10s  %8s";
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, format, "script", "kind",
        "status", "rows", "seconds"));
    for (ScriptRun script : scripts) {
      boolean ran = script.status() != ScriptRun.Status.RESUMED
          && script.status() != ScriptRun.Status.PLANNED
          && script.status() != ScriptRun.Status.NOT_RUN;
      text.append(System.lineSeparator()).append(String.format(Locale.ROOT, format,
          script.name(), script.kind().name().toLowerCase(Locale.ROOT),
          script.status().name().toLowerCase(Locale.ROOT),
          script.rows() < 0 ? "-" : String.format(Locale.ROOT, "%,d", script.rows()),
          ran ? String.format(Locale.ROOT, "%.2f", script.seconds()) : "-"));
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
