package dev.lea.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The multi-writer contract on a {@code file:} catalog, whose renames are atomic. */
class ConcurrencyIT extends MultiWriterContract {

  @Override
  protected Bucket startBucket(Path dir) throws Exception {
    Path bucket = dir.resolve("bucket");
    Files.createDirectories(bucket.resolve("lake"));
    return new Bucket("file://" + bucket + "/", Map.of(), Map.of(), true, () -> { });
  }

  @Override
  protected int lockFileProcesses() {
    return HEAVY ? 16 : 8;
  }

  @Override
  protected int conditionalProcesses() {
    return 8;
  }

  @Override
  protected int conditionalRounds() {
    return HEAVY ? 5 : 2;
  }
}
