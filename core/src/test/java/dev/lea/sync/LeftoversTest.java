package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: {@code lea:status} names what earlier runs left. The folder's owner is a real process
 * that has ended; a kept catalog is listed and never taken for a leftover to remove.
 */
class LeftoversTest {

  @TempDir Path dir;

  private LeaConfig config() {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString())
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
  }

  @Test
  void namesTheFolderOfAnEndedProcessAndKeptCatalogsAndRemovesNothing() throws Exception {
    Process ended = new ProcessBuilder("sleep", "600").start();
    Instant started = ended.info().startInstant().orElseThrow();
    ended.destroyForcibly();
    assertThat(ended.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Path folder = LocalFiles.createPrivateTempDirectory(
        LocalFiles.createPrivateDirectories(dir.resolve("work")), WorkDirectory.PREFIX);
    Files.writeString(LocalFiles.createPrivateFile(folder.resolve(".owner")),
        new Owner(ended.pid(), started).text());
    Path kept = LocalFiles.createPrivateDirectories(dir.resolve("cache/kept"))
        .resolve("20261201T000000Z-abc-warehouse.duckdb");
    Files.writeString(kept, "catalog");

    List<String> lines = Leftovers.describe(config());

    assertThat(lines).containsExactly("Leftovers of earlier runs on this machine:",
        "  " + folder + ": left by a run that ended without cleaning up (pid " + ended.pid()
            + ", started " + started + "); the next run removes it.",
        "  " + kept + ": a kept catalog (its run could not put it where it belonged); never"
            + " removed by lea, delete it once it is restored or not needed.");
    assertThat(folder).isDirectory();
    assertThat(kept).exists();
  }

  @Test
  void saysNoneWhenNothingWasLeft() {
    assertThat(Leftovers.describe(config()))
        .containsExactly("Leftovers of earlier runs on this machine: none.");
  }
}
