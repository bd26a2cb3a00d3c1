package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.s3.S3Settings;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.TransportOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The server side of {@code benchmarks/peers.sh}: starts the benchmarks' S3Proxy, times the SDK
 * floor and lea's object-copy round trip of one catalog on it, prints them with the endpoint and
 * the file, and keeps the server up for the script's tools until its standard input closes.
 *
 * <p>Arguments: size (default {@code 64MiB}), content (default {@code realistic}), rounds
 * (default 3; the median is printed).
 */
public final class Peers {

  private Peers() {}

  /** One round trip. */
  @FunctionalInterface
  private interface Round {
    void run() throws IOException;
  }

  public static void main(String[] args) throws Exception {
    String size = args.length > 0 ? args[0] : "64MiB";
    String content = args.length > 1 ? args[1] : "realistic";
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path source = Catalogs.file(content, size);
    Path scratch = LocalFiles.createPrivateTempDirectory(null, "lea-peers-");
    try (Bucket bucket = Bucket.start("s3", scratch)) {
      LeaConfig config = bucket.configure(LeaConfig.defaults(scratch))
          .with(LeaSettings.WORK_DIR, scratch.toString());
      Path target = scratch.resolve("downloaded.duckdb");
      Location location = Location.parse(bucket.url("lake/catalog.duckdb"), scratch);
      double floor;
      double lea;
      try (ObjectStore store = ObjectStores.open(location, config)) {
        CatalogTransport transport = CatalogTransports.named("object-copy")
            .withOptions(TransportOptions.of(config));
        CatalogFile catalog = new CatalogFile(null, Files.size(source), "duckdb-warehouse");
        // Alternated rounds, so both see the same machine.
        double[] floors = new double[rounds];
        double[] leas = new double[rounds];
        for (int i = 0; i < rounds; i++) {
          floors[i] = millis(() -> bucket.floor(source, "floor/catalog.duckdb", target));
          leas[i] = millis(() -> {
            transport.upload(store, location.key(), source, catalog, Condition.none());
            transport.download(store, location.key(), target, null);
          });
        }
        floor = median(floors);
        lea = median(leas);
      }
      System.out.println("endpoint " + config.get(S3Settings.S3_ENDPOINT));
      System.out.println("bucket " + Bucket.NAME);
      System.out.println("file " + source);
      System.out.println("bytes " + Files.size(source));
      System.out.println(String.format(Locale.ROOT, "sdk-floor-ms %.1f", floor));
      System.out.println(String.format(Locale.ROOT, "lea-ms %.1f", lea));
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // The script closes its end when its tools are done.
      }
    } finally {
      LocalFiles.deleteRecursively(scratch);
    }
  }

  private static double millis(Round round) throws IOException {
    long started = System.nanoTime();
    round.run();
    return (System.nanoTime() - started) / 1e6;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
