package dev.lea.store.s3;

/**
 * How objects are uploaded. Memory per upload is bounded by {@code (parallelParts + 1) *
 * partSize}: the parts in flight plus the one being read from the caller's stream.
 *
 * @param singlePutLimit objects of a known size up to this go in one PutObject
 * @param partSize bytes per multipart part (S3's minimum is 5 MiB, except for the last part)
 * @param parallelParts parts uploaded at the same time
 */
record UploadTuning(long singlePutLimit, int partSize, int parallelParts) {

  static final int MIB = 1024 * 1024;
  static final int MIN_PART_SIZE = 5 * MIB;
  static final UploadTuning DEFAULT = new UploadTuning(16L * MIB, 8 * MIB, 4);

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
