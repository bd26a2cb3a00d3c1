package dev.lea.sync;

import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts a local catalog file at a key of the store and says, as a value, what became of it. It
 * never deletes or moves the file: keeping a catalog that did not arrive is the session's part.
 */
final class Uploader {

  private final ObjectStore store;
  private final CatalogTransport transport;
  private final CatalogTarget target;
  private final Reporter reporter;
  private final Transfers transfers;

  Uploader(ObjectStore store, CatalogTransport transport, CatalogTarget target, Reporter reporter,
      Transfers transfers) {
    this.store = store;
    this.transport = transport;
    this.target = target;
    this.reporter = reporter;
    this.transfers = transfers;
  }

  /**
   * Uploads {@code file} to {@code key} under {@code condition}. The file is not read before:
   * the transport computes what it records (the store's CRC32C, or a SHA-256) as it sends.
   */
  Placement upload(String key, Path file, Condition condition) {
    try {
      long size = Files.size(file);
      long started = System.nanoTime();
      UploadMeter counted = new UploadMeter(store);
      ObjectInfo uploaded = transfers.run("uploading catalog " + describe(key),
          counted.meter(size), () ->
          transport.upload(counted, key, file, new CatalogFile(null, size, target.format()),
              condition));
      reporter.info("Uploaded catalog " + describe(key) + " (" + Sizes.format(size) + ") in "
          + Sizes.seconds(System.nanoTime() - started));
      return new Placement.Uploaded(key, uploaded.version(), size, CatalogDigest.of(uploaded));
    } catch (PreconditionFailedException e) {
      return new Placement.Refused(key);
    } catch (IOException e) {
      return new Placement.Failed(key, e);
    }
  }

  /** The URL of {@code key}, a sibling of the catalog's. */
  String describe(String key) {
    String catalogKey = target.remote().key();
    return key.equals(catalogKey) ? target.describe()
        : target.remote().withSuffix(key.substring(catalogKey.length())).toString();
  }
}
