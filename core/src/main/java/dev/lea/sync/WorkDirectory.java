package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.spi.Reporter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A session's private directory ({@code lea-session-*}, owner-only) holding the local catalog.
 *
 * <p>The rule that a catalog which cannot go where it should is kept, never deleted, lives here:
 * once the run's work may be in the catalog ({@link #holdWork()}), closing the directory keeps
 * the catalog (with its write-ahead log) under {@code kept/} unless {@link #settled} said a
 * store or the cache holds it; when even that move fails the whole directory stays, renamed
 * {@code lea-kept-*}. Whatever path failed on the way, the close stack ends here.
 *
 * <p>The directory holds an OS file lock on {@code .owner} while its session lives, which the
 * kernel drops when the process dies, even by {@code kill -9}: the next run removes directories
 * whose lock is free. DuckDB creates files such as the {@code .wal} with the process umask, which
 * Java cannot set, so a watcher makes each new file owner-only as it appears.
 */
final class WorkDirectory implements AutoCloseable {

  static final String PREFIX = "lea-session-";
  static final String KEPT_PREFIX = "lea-kept-";
  private static final String OWNER = ".owner";
  /** Directories of lea versions that wrote no {@code .owner}: removed once surely abandoned. */
  private static final Duration UNOWNED_AGE = Duration.ofDays(1);

  private enum State { COPY, WORK, SETTLED, KEPT }

  /**
   * This process's own directories, never probed: closing any channel to a file drops every lock
   * the process holds on it, so probing one of ours would unlock it for other processes.
   */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final Path catalog;
  private final Path keptDirectory;
  private final String keptName;
  private final Reporter reporter;
  private final FileChannel ownerChannel;
  private final FileLock ownerLock;
  private final WatchService watcher;
  private State state = State.COPY;
  private Consumer<Path> handOver;
  private Path kept;

  private WorkDirectory(Path directory, String fileName, Path keptDirectory, String keptName,
      Reporter reporter, FileChannel ownerChannel, FileLock ownerLock, WatchService watcher) {
    this.directory = directory;
    this.catalog = directory.resolve(fileName);
    this.keptDirectory = keptDirectory;
    this.keptName = keptName;
    this.reporter = reporter;
    this.ownerChannel = ownerChannel;
    this.ownerLock = ownerLock;
    this.watcher = watcher;
  }

  static WorkDirectory create(LeaConfig config, String fileName, String keptName,
      Reporter reporter) throws IOException {
    Path parent = config.path(LeaSettings.WORK_DIR).orElse(null);
    removeLeftovers(parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir")),
        reporter);
    Path directory = LocalFiles.createPrivateTempDirectory(parent, PREFIX);
    FileChannel channel = null;
    WatchService watcher = null;
    try {
      // Locked before it gets its name: a run that finds .owner unlocked may delete the directory.
      Path unnamed = LocalFiles.createPrivateFile(directory.resolve(OWNER + ".new"));
      Files.writeString(unnamed, Owner.current().text());
      channel = FileChannel.open(unnamed, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      LIVE.add(directory.toAbsolutePath().normalize());
      Files.move(unnamed, directory.resolve(OWNER), StandardCopyOption.ATOMIC_MOVE);
      watcher = directory.getFileSystem().newWatchService();
      directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
      Path keptDirectory = config.path(LeaSettings.CACHE_DIR).orElse(directory.getParent())
          .resolve("kept");
      WorkDirectory work = new WorkDirectory(directory, fileName, keptDirectory, keptName,
          reporter, channel, lock, watcher);
      Thread restrictor = new Thread(work::restrictNewFiles, "lea-owner-only " + directory);
      restrictor.setDaemon(true);
      restrictor.start();
      return work;
    } catch (IOException | RuntimeException e) {
      LIVE.remove(directory.toAbsolutePath().normalize());
      if (watcher != null) {
        watcher.close();
      }
      if (channel != null) {
        channel.close();
      }
      LocalFiles.deleteRecursively(directory);
      throw e;
    }
  }

  Path path() {
    return directory;
  }

  Path catalog() {
    return catalog;
  }

  /** The run's work may be in the catalog from now on: closing keeps it unless settled. */
  synchronized void holdWork() {
    state = State.WORK;
  }

  /**
   * A store (or the cache) holds the catalog's content: closing may remove it, after handing the
   * file to {@code handOver} (the cache), if given.
   */
  synchronized void settled(Consumer<Path> handOver) {
    this.state = State.SETTLED;
    this.handOver = handOver;
  }

  /**
   * Moves the catalog, and its write-ahead log if DuckDB left one, under {@code kept/}, where it
   * outlives the session. Answers where it is: when the move fails, the directory stays.
   */
  synchronized Path keep() {
    if (kept != null) {
      return kept;
    }
    state = State.KEPT;
    Path wal = wal(catalog);
    try {
      LocalFiles.createPrivateDirectories(keptDirectory.getParent());
      LocalFiles.createPrivateDirectories(keptDirectory);
      Path target = keptDirectory.resolve(keptName);
      if (Files.exists(wal)) {
        Files.move(wal, wal(target));
        LocalFiles.restrictToOwner(wal(target));
      }
      Files.move(catalog, target);
      // A fresh catalog was created by DuckDB with the umask's mode; kept files outlive the
      // private directory, so they must be owner-only themselves.
      LocalFiles.restrictToOwner(target);
      kept = target;
    } catch (IOException e) {
      reporter.warn("Could not move the catalog to " + keptDirectory + " (" + e.getMessage()
          + "); it stays where it is.");
      kept = stayInPlace();
    }
    return kept;
  }

  private Path stayInPlace() {
    Path renamed = directory.resolveSibling(KEPT_PREFIX
        + directory.getFileName().toString().substring(PREFIX.length()));
    try {
      Files.move(directory, renamed);
      return renamed.resolve(catalog.getFileName());
    } catch (IOException e) {
      return catalog;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      closeWatcherInBackground();
      if (state == State.WORK) {
        reporter.warn("The session ended before its catalog was placed; it is kept at " + keep()
            + ".");
      }
      if (state == State.SETTLED && handOver != null && Files.exists(catalog)) {
        handOver.accept(catalog);
      }
    } finally {
      ownerLock.release();
      ownerChannel.close();
      LIVE.remove(directory.toAbsolutePath().normalize());
      if (state != State.KEPT || kept.startsWith(keptDirectory)) {
        LocalFiles.deleteRecursively(directory);
      }
    }
  }

  /**
   * Closing a watch service waits for the JDK's poller thread to acknowledge, several
   * milliseconds on a busy machine, which an unchanged session would otherwise spend doing
   * nothing. Files that appear meanwhile are still restricted, and the directory is private.
   */
  private void closeWatcherInBackground() {
    Thread closer = new Thread(() -> {
      try {
        watcher.close();
      } catch (IOException e) {
        // The session is over; an unclosed watch service only holds an inotify descriptor.
      }
    }, "lea-owner-only-close " + directory);
    closer.setDaemon(true);
    closer.start();
  }

  private void restrictNewFiles() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.context() instanceof Path name) {
            try {
              LocalFiles.restrictToOwner(directory.resolve(name));
            } catch (IOException gone) {
              // Deleted again before it could be restricted (a WAL after a checkpoint).
            }
          }
        }
        if (!key.reset()) {
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // The session is over.
    }
  }

  private static Path wal(Path database) {
    return database.resolveSibling(database.getFileName() + ".wal");
  }

  /**
   * Removes the {@code lea-session-*} directories in {@code parent} whose session is gone: a run
   * killed before it could clean up leaves its catalog copy behind, and such leftovers add up.
   */
  /** Where sessions are created: {@code lea.workDir}, else the temp directory. */
  static Path parent(LeaConfig config) {
    return config.path(LeaSettings.WORK_DIR)
        .orElse(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Where a catalog that could not be placed is kept. */
  static Path keptDirectory(LeaConfig config) {
    return config.path(LeaSettings.CACHE_DIR).orElse(parent(config)).resolve("kept");
  }

  /** The folders in {@code parent} the next run would remove, and who left each; removes none. */
  static List<Owner.Left> leftovers(Path parent) throws IOException {
    List<Owner.Left> found = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return found;
    }
    try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path candidate : candidates) {
        if (Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)
            && CatalogCache.untrusted(candidate) == null && abandoned(candidate)) {
          found.add(new Owner.Left(candidate, Owner.read(candidate.resolve(OWNER))));
        }
      }
    }
    return found;
  }

  static void removeLeftovers(Path parent, Reporter reporter) {
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path candidate : candidates) {
        if (Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)
            && CatalogCache.untrusted(candidate) == null && abandoned(candidate)) {
          try {
            LocalFiles.deleteRecursively(candidate);
            reporter.info("Removed " + candidate + ", left behind by a run that ended without"
                + " cleaning up.");
          } catch (IOException e) {
            reporter.warn("Could not remove " + candidate + ", left behind by an earlier run: "
                + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      reporter.warn("Could not look for leftovers of earlier runs in " + parent + ": "
          + e.getMessage());
    }
  }

  private static boolean abandoned(Path candidate) throws IOException {
    if (LIVE.contains(candidate.toAbsolutePath().normalize())) {
      return false;
    }
    Path owner = candidate.resolve(OWNER);
    if (!Files.isRegularFile(owner, LinkOption.NOFOLLOW_LINKS)) {
      return Files.getLastModifiedTime(candidate).toInstant()
          .isBefore(Instant.now().minus(UNOWNED_AGE));
    }
    try (FileChannel channel = FileChannel.open(owner, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      lock.release();
    }
    // A file system that does not enforce locks (some network mounts) answers "free" for a live
    // session too: the recorded process must be gone as well.
    return Owner.read(owner).map(recorded -> !recorded.alive()).orElse(true);
  }
}
