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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Java side of {@code benchmarks/peers.sh}, in two processes, so that every client it times
 * runs in a process of its own beside the server, as rclone and the aws CLI do (a client in the
 * server's JVM shares its two cores and its garbage collector with the server):
 *
 * <ul>
 *   <li>{@code server [size] [content]} starts the benchmarks' S3Proxy, prints its endpoint, the
 *       bucket and the catalog file, and serves until its standard input closes;
 *   <li>{@code clients <endpoint> <file> [rounds]} times the SDK floor and lea's object-copy
 *       round trip of the file on that server, alternated, each after one round that is not
 *       counted (the JIT's), and prints their medians.
 * </ul>
 */
public final class Peers {

  private Peers() {}

  /** One round trip. */
  @FunctionalInterface
  private interface Round {
    void run() throws IOException;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      serve(args.length > 1 ? args[1] : "64MiB", args.length > 2 ? args[2] : "realistic");
    } else if (args.length >= 3 && args[0].equals("clients")) {
      time(URI.create(args[1]), Path.of(args[2]),
          args.length > 3 ? Integer.parseInt(args[3]) : 3);
    } else {
      throw new IllegalArgumentException("Cannot run Peers: expected 'server [size] [content]'"
          + " or 'clients <endpoint> <file> [rounds]', got " + Arrays.toString(args));
    }
  }

  private static void serve(String size, String content) throws Exception {
    Path source = Catalogs.file(content, size);
    Path scratch = LocalFiles.createPrivateTempDirectory(null, "lea-peers-");
    try (Bucket bucket = Bucket.start("s3", scratch)) {
      System.out.println("endpoint " + bucket.configure(LeaConfig.defaults(scratch))
          .get(S3Settings.S3_ENDPOINT));
      System.out.println("bucket " + Bucket.NAME);
      System.out.println("file " + source);
      System.out.println("bytes " + Files.size(source));
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // The script closes its end when its tools are done.
      }
    } finally {
      LocalFiles.deleteRecursively(scratch);
    }
  }

  private static void time(URI endpoint, Path source, int rounds) throws Exception {
    Path scratch = LocalFiles.createPrivateTempDirectory(null, "lea-peers-client-");
    try (Bucket bucket = Bucket.s3At(endpoint)) {
      LeaConfig config = bucket.configure(LeaConfig.defaults(scratch))
          .with(LeaSettings.WORK_DIR, scratch.toString());
      Path target = scratch.resolve("downloaded.duckdb");
      Location location = Location.parse(bucket.url("lake/catalog.duckdb"), scratch);
      try (ObjectStore store = ObjectStores.open(location, config)) {
        CatalogTransport transport = CatalogTransports.named("object-copy")
            .withOptions(TransportOptions.of(config));
        CatalogFile catalog = new CatalogFile(null, Files.size(source), "duckdb-warehouse");
        Round floor = () -> bucket.floor(source, "floor/catalog.duckdb", target);
        Round lea = () -> {
          transport.upload(store, location.key(), source, catalog, Condition.none());
          transport.download(store, location.key(), target, null);
        };
        floor.run();
        lea.run();
        // Alternated rounds, so both see the same machine.
        double[] floors = new double[rounds];
        double[] leas = new double[rounds];
        for (int i = 0; i < rounds; i++) {
          floors[i] = millis(floor);
          leas[i] = millis(lea);
        }
        System.out.println(String.format(Locale.ROOT, "sdk-floor-ms %.1f", median(floors)));
        System.out.println(String.format(Locale.ROOT, "lea-ms %.1f", median(leas)));
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
