package dev.lea.store.s3;

import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;

/**
 * How objects are uploaded. A file's parts are read from the file; a stream's parts need
 * buffers, at most {@code (parallelParts + 1) * partSize} and at most a quarter of the heap, and
 * a stream goes in one PutObject only up to one part's size, since that PutObject's body is held
 * in the heap.
 *
 * @param singlePutLimit files up to this size go in one PutObject, read from the file
 * @param partSize bytes per multipart part (S3's minimum is 5 MiB, except for the last part)
 * @param parallelParts parts uploaded at the same time
 */
record UploadTuning(long singlePutLimit, int partSize, int parallelParts) {

  static final int MIB = 1024 * 1024;
  static final int MIN_PART_SIZE = 5 * MIB;
  static final long MAX_PART_SIZE = 5L * 1024 * MIB;
  static final int MAX_PARALLELISM = 64;
  static final UploadTuning DEFAULT = new UploadTuning(512L * MIB, 8 * MIB, 4);

  /** The tuning of {@code lea.s3.partSize}, {@code lea.s3.singlePutLimit}, {@code lea.s3.parallelism}. */
  static UploadTuning from(Location location, LeaConfig config) {
    long partSize = config.size(S3Settings.S3_PART_SIZE).orElseThrow();
    long singlePutLimit = config.size(S3Settings.S3_SINGLE_PUT_LIMIT).orElseThrow();
    long parallelism = config.integer(S3Settings.S3_PARALLELISM).orElseThrow();
    if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
      throw invalid(location, S3Settings.S3_PART_SIZE, partSize + " bytes",
          "S3 accepts parts of 5MiB to 5GiB");
    }
    if (singlePutLimit > MAX_PART_SIZE) {
      throw invalid(location, S3Settings.S3_SINGLE_PUT_LIMIT, singlePutLimit + " bytes",
          "S3 accepts single PUTs of up to 5GiB");
    }
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw invalid(location, S3Settings.S3_PARALLELISM, Long.toString(parallelism),
          "give 1 to " + MAX_PARALLELISM);
    }
    return new UploadTuning(singlePutLimit, (int) Math.min(partSize, Integer.MAX_VALUE - 8),
        (int) parallelism);
  }

  private static LeaException invalid(Location location, String property, String value,
      String reason) {
    return LeaException.user("Cannot open " + location + ": " + property + " is " + value
        + "; " + reason + ".");
  }

  UploadTuning {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("partSize below S3's minimum of 5 MiB: " + partSize);
    }
    if (singlePutLimit < 0 || parallelParts < 1) {
      throw new IllegalArgumentException("singlePutLimit " + singlePutLimit + ", parallelParts "
          + parallelParts);
    }
  }
}
