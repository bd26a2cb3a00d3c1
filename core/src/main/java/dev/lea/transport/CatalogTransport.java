package dev.lea.transport;

import dev.lea.spi.Named;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a catalog file travels between a local file and an object store. Implementations are
 * immutable and found by {@link #name()} through {@link java.util.ServiceLoader} with
 * {@link TransportOptions#DEFAULTS}; {@link #withOptions} binds the configured ones (compression,
 * scratch directory) once, as {@link CatalogTransports#configured} does.
 */
public interface CatalogTransport extends Named {

  /**
   * This transport with {@code options} bound, for every later transfer; this one is unchanged. A
   * transport that reads none of the options may return itself.
   */
  default CatalogTransport withOptions(TransportOptions options) {
    return this;
  }

  /**
   * Downloads the catalog stored at {@code key} into {@code target}. {@code target} is written only
   * when the whole catalog arrived and its SHA-256 matched; until then it is left as it was.
   *
   * @param ifNoneMatch the version the caller holds (e.g. in its cache), or {@code null}; when the
   *     remote still has it the answer is {@code NOT_MODIFIED} and nothing is transferred
   * @throws CatalogIntegrityException when the remote object is corrupt, truncated or was written by
   *     another transport
   */
  Download download(ObjectStore store, String key, Path target, String ifNoneMatch)
      throws IOException;

  /**
   * Uploads {@code source} to {@code key} under {@code condition}, streaming, with the catalog's
   * SHA-256 and format in the object's metadata.
   *
   * @throws dev.lea.store.PreconditionFailedException when the condition does not hold
   */
  ObjectInfo upload(ObjectStore store, String key, Path source, CatalogFile catalog,
      Condition condition) throws IOException;

  /**
   * Deletes what this transport's uploads left in the store that the catalog at {@code key} no
   * longer references and that was last written more than {@code grace} ago, safely while
   * another run uploads. A transport that writes one object per catalog leaves nothing behind.
   *
   * @throws dev.lea.spi.LeaException when {@code grace} is too short to be safe for this transport
   */
  default GcResult collectGarbage(ObjectStore store, String key, Duration grace)
      throws IOException {
    return GcResult.NOTHING;
  }
}
