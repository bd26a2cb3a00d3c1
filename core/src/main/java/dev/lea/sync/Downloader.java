package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import dev.lea.transport.CatalogIntegrityException;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.Download;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Brings the remote catalog to a local path: the cached copy when the remote still has its
 * version (one conditional read, then a rename), else a download. The cached file is moved in
 * before the read, since a transport that can reuse local bytes (chunked) fetches only what
 * changed; a failed download gives it back to the cache untouched.
 */
final class Downloader {

  private final ObjectStore store;
  private final CatalogTransport transport;
  private final CatalogTarget target;
  private final LeaConfig config;
  private final Reporter reporter;
  private final Optional<CatalogCache> cache;
  private final Transfers transfers;

  Downloader(ObjectStore store, CatalogTransport transport, CatalogTarget target, LeaConfig config,
      Reporter reporter, Optional<CatalogCache> cache, Transfers transfers) {
    this.transfers = transfers;
    this.store = store;
    this.transport = transport;
    this.target = target;
    this.config = config;
    this.reporter = reporter;
    this.cache = cache;
  }

  Fetched fetch(Path local) throws IOException {
    Optional<CatalogCache.Entry> cached = cache.flatMap(CatalogCache::lookup);
    if (cached.isPresent() && !cache.get().take(local)) {
      cached = Optional.empty();
    }
    return fetchTaken(local, cached, () -> {});
  }

  /**
   * {@link #fetch} when the cached file of {@code cached} was already moved to {@code local}, and
   * may be open: {@code release} closes what holds it before it is replaced or given back.
   */
  Fetched fetchTaken(Path local, Optional<CatalogCache.Entry> cached, Runnable release)
      throws IOException {
    long started = System.nanoTime();
    Download download;
    try {
      download = download(local, cached.map(CatalogCache.Entry::version).orElse(null));
      if (download.status() != ReadResult.Status.NOT_MODIFIED) {
        release.run();
      } else {
        CatalogCache.Entry entry = cached.get();
        boolean otherDigest = !entry.digest().agreesWith(CatalogDigest.of(download.info()));
        // Written to while it was taken: not the version the entry names any more.
        boolean written = entry.identity().comparable() && !entry.identity().matches(local);
        if (otherDigest || written) {
          release.run();
          if (otherDigest) {
            reporter.warn("The cached catalog's digest is not the one " + target.describe()
                + " recorded for its version; the cache is discarded and the catalog"
                + " downloaded.");
          }
          Files.delete(local);
          cache.get().discard();
          cached = Optional.empty();
          download = download(local, null);
        }
      }
    } catch (CatalogIntegrityException e) {
      release.run();
      giveBack(cached, local);
      throw new LeaException(LeaException.Kind.INFRASTRUCTURE, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      release.run();
      giveBack(cached, local);
      throw e;
    }
    switch (download.status()) {
      case NOT_MODIFIED -> {
        CatalogCache.Entry entry = cached.get();
        reporter.info("Catalog " + target.describe() + " unchanged since the last run; using"
            + " the cached copy (" + Sizes.format(entry.size()) + ")");
        return Fetched.arrived(entry.version(), entry.digest(), local, true);
      }
      case NOT_FOUND -> {
        if (cached.isPresent()) {
          Files.deleteIfExists(local);
          cache.get().discard();
        }
        if (target.kind() == CatalogTarget.Kind.DUCKLAKE
            && config.find(LeaSettings.DATA_PATH).isEmpty()) {
          throw SyncedSession.missingDataPath(target);
        }
        reporter.info("No catalog at " + target.describe() + " yet; starting a fresh one.");
        return Fetched.fresh();
      }
      default -> {
        reporter.info("Downloaded catalog " + target.describe() + " ("
            + Sizes.format(download.size()) + ") in " + Sizes.seconds(System.nanoTime() - started));
        return Fetched.arrived(download.info().version(), CatalogDigest.of(download), local,
            false);
      }
    }
  }

  private Download download(Path local, String ifNoneMatch) throws IOException {
    return transfers.run("downloading catalog " + target.describe(),
        DownloadMeter.of(store, key(), local),
        () -> transport.download(store, key(), local, ifNoneMatch));
  }

  private void giveBack(Optional<CatalogCache.Entry> cached, Path local) {
    if (cached.isPresent() && Files.exists(local)) {
      Preparation.giveBackIfUntouched(cache.get(), cached.get()).accept(local);
    }
  }

  private String key() {
    return target.remote().key();
  }
}
