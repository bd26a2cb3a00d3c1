package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.spi.Reporter;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local half of opening a session, done while the lock is being taken: the work directory,
 * the cache and, when the cache holds a plain DuckDB warehouse, the cached file moved in and
 * attached.
 *
 * <p>That attach is a guess that the cached version is still current. Nothing is read from the
 * connection and nothing written to the file before the conditional read, under the lock, says
 * the remote still has that version; when it does not, the connection is closed and the catalog
 * downloaded as without it. DuckDB leaves a database it opened and closed without a change
 * untouched, which the file's identity checks rather than assumes. Where a file cannot be
 * replaced while it is open (Windows), nothing is attached early.
 */
final class Preparation {

  private static final boolean OPEN_FILES_REPLACEABLE =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /** What the local half made: {@code taken} is the cache entry whose file is now the catalog. */
  record Prepared(WorkDirectory work, Optional<CatalogCache> cache,
      Optional<CatalogCache.Entry> taken) {}

  /** Makes the work directory; the session owns it from here. */
  @FunctionalInterface
  interface WorkFactory {
    WorkDirectory create() throws IOException;
  }

  private Preparation() {}

  /**
   * The local half; {@code attachEarly} says whether a cached catalog may be attached before the
   * conditional read (a plain DuckDB warehouse opened for writing, whose lock is being taken).
   * On failure, whatever it made is undone.
   */
  static Prepared run(WorkFactory works, LeaConfig config, CatalogTarget target,
      Reporter reporter, OpenCatalog catalog, boolean attachEarly) throws IOException {
    WorkDirectory work = works.create();
    try {
      Optional<CatalogCache> cache = CatalogCache.open(config, target.remote(), reporter);
      Optional<CatalogCache.Entry> taken = attachEarly && OPEN_FILES_REPLACEABLE
          ? cache.flatMap(CatalogCache::lookup).filter(entry -> cache.get().take(work.catalog()))
          : Optional.empty();
      if (taken.isPresent()) {
        // Until the session knows better, the taken file goes back to the cache unchanged.
        work.settled(giveBackIfUntouched(cache.get(), taken.get()));
        attach(catalog, work.catalog());
      }
      return new Prepared(work, cache, taken);
    } catch (RuntimeException e) {
      catalog.closeQuietly();
      try {
        work.close();
      } catch (IOException | RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  private static void attach(OpenCatalog catalog, Path file) {
    try {
      catalog.attach(file.toString(), true);
    } catch (RuntimeException e) {
      // The attach after the conditional read does it again and reports what is wrong.
      catalog.closeQuietly();
    }
  }

  /**
   * A taken file returns to the cache only as it was taken; any other is deleted with the work.
   * Without file keys the identity cannot tell, and the cache's lookup compares the bytes.
   */
  static Consumer<Path> giveBackIfUntouched(CatalogCache cache, CatalogCache.Entry entry) {
    return taken -> {
      if (!entry.identity().comparable() || entry.identity().matches(taken)) {
        cache.giveBack(taken);
      }
    };
  }
}
