package dev.lea.runner;

import dev.lea.internal.EditDistance;
import dev.lea.spi.LeaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * lea's selection syntax (lea/dag.py), comma separated: {@code core.orders}, {@code core/} (the
 * scripts of that folder, not of its subfolders), {@code core.orders+} (and what reads it),
 * {@code +core.orders} (and what it reads), {@code git} (the scripts changed in git, see
 * {@link #changedInGit()}), {@code *} (everything).
 */
final class Selector {

  private static final String GIT = "git";
  /** lea compares with {@code main}; repositories whose trunk is {@code master} work too. */
  private static final List<String> GIT_BASES = List.of("main", "master");

  private final Project project;
  private String gitBase;

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
      Set<TableName> matched = name.equals(GIT) ? changedInGit() : match(name);
      if (matched.isEmpty() && name.equals(GIT)) {
        throw LeaException.user("Cannot select git: no script changed against the branch "
            + gitBase + " (committed since, staged, or modified in the working tree; untracked"
            + " files do not count, as in lea). Check " + setting + ", or git add a new script.");
      }
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
        if (!folder.isEmpty() && folders.equals(folder)) {
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

  /**
   * The scripts and tests whose files differ between the base branch and the index (committed on
   * this branch, or staged) or between HEAD and the working tree, as lea's
   * {@code list_table_refs_that_changed} diffs {@code repo.index} against {@code main} and
   * {@code HEAD} against the working tree. Untracked files are in neither diff, so a new script
   * counts once it is added. Deleted scripts match nothing.
   */
  private Set<TableName> changedInGit() {
    Path directory = project.directory();
    Path top = Path.of(git(directory, "rev-parse", "--show-toplevel").strip());
    gitBase = GIT_BASES.stream()
        .filter(branch -> gitSucceeds(directory, "rev-parse", "--verify", "--quiet",
            "refs/heads/" + branch))
        .findFirst()
        .orElseThrow(() -> LeaException.user("Cannot select git: the repository " + top
            + " has no branch main (or master) to compare with, as lea compares with main."
            + " Create it, or select scripts by name."));
    Set<String> paths = new LinkedHashSet<>();
    paths.addAll(nulSeparated(git(directory, "diff", "-z", "--name-only", "--no-renames",
        "--cached", gitBase)));
    paths.addAll(nulSeparated(git(directory, "diff", "-z", "--name-only", "--no-renames",
        "HEAD")));
    Set<String> labels = new LinkedHashSet<>();
    try {
      Path realProject = directory.toRealPath();
      Path realTop = top.toRealPath();
      for (String path : paths) {
        Path file = realTop.resolve(path).normalize();
        labels.add((file.startsWith(realProject) ? realProject.relativize(file) : file).toString()
            .replace('\\', '/'));
      }
    } catch (IOException e) {
      throw LeaException.user("Cannot select git: " + e.getMessage() + ".", e);
    }
    Set<TableName> changed = new LinkedHashSet<>();
    for (Node node : project.nodes().values()) {
      if (labels.contains(node.label())) {
        changed.add(node.name());
      }
    }
    return changed;
  }

  private static List<String> nulSeparated(String output) {
    return List.of(output.split("\0")).stream().filter(p -> !p.isEmpty()).toList();
  }

  private static boolean gitSucceeds(Path directory, String... arguments) {
    return runGit(directory, arguments).exitCode() == 0;
  }

  private static String git(Path directory, String... arguments) {
    GitResult result = runGit(directory, arguments);
    if (result.exitCode() != 0) {
      String said = result.error().strip();
      if (said.contains("not a git repository")) {
        throw LeaException.user("Cannot select git: " + directory + " is not in a git"
            + " repository (git says: " + said + "). Select scripts by name instead.");
      }
      throw LeaException.user("Cannot select git: git " + String.join(" ", arguments)
          + " failed in " + directory + ": " + said + ".");
    }
    return result.output();
  }

  private record GitResult(int exitCode, String output, String error) {}

  private static GitResult runGit(Path directory, String... arguments) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotePath=false"));
    command.addAll(List.of(arguments));
    try {
      Path errors = Files.createTempFile("lea-git-", ".err");
      try {
        Process process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectError(errors.toFile()).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8);
        int exitCode = process.waitFor();
        return new GitResult(exitCode, output, Files.readString(errors, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw LeaException.user("Cannot select git: the git command could not be run ("
          + e.getMessage() + "). Install git, or select scripts by name.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LeaException.user("Cannot select git: interrupted while running git.", e);
    }
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
      int distance = EditDistance.between(wanted, key);
      if (distance <= Math.max(2, wanted.length() / 3) || key.contains(wanted)) {
        candidates.add(new Candidate(candidate, distance));
      }
    }
    candidates.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name));
    return candidates.stream().limit(3).map(Candidate::name).toList();
  }
}
