package dev.lea.sync;

import dev.lea.config.LeaConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What earlier runs left on this machine, for {@code lea:status}: session folders of runs that
 * ended without cleaning up (the next run removes them) and kept catalogs (never removed: each may
 * be the only copy of a run's work).
 */
final class Leftovers {

  private Leftovers() {}

  /** One line per leftover, or one line saying there are none; probes, removes nothing. */
  static List<String> describe(LeaConfig config) {
    List<String> lines = new ArrayList<>();
    Path parent = WorkDirectory.parent(config);
    try {
      for (Owner.Left left : WorkDirectory.leftovers(parent)) {
        lines.add("  " + left.folder() + ": left by a run that ended without cleaning up"
            + left.owner().map(o -> " (pid " + o.pid() + ", started " + o.started() + ")")
                .orElse("") + "; the next run removes it.");
      }
      for (Path kept : list(WorkDirectory.keptDirectory(config), "*")) {
        if (!kept.getFileName().toString().endsWith(".wal")) {
          lines.add("  " + kept + ": a kept catalog (its run could not put it where it"
              + " belonged); never removed by lea, delete it once it is restored or not needed.");
        }
      }
      for (Path kept : list(parent, WorkDirectory.KEPT_PREFIX + "*")) {
        lines.add("  " + kept + ": a session folder kept with its catalog (it could not be"
            + " moved aside); never removed by lea, delete it once it is restored or not needed.");
      }
    } catch (IOException e) {
      lines.add("  Cannot look for leftovers in " + parent + ": " + e.getMessage());
    }
    if (lines.isEmpty()) {
      return List.of("Leftovers of earlier runs on this machine: none.");
    }
    lines.add(0, "Leftovers of earlier runs on this machine:");
    return lines;
  }

  private static List<Path> list(Path directory, String glob) throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob)) {
        entries.forEach(found::add);
      }
    }
    found.sort(null);
    return found;
  }
}
