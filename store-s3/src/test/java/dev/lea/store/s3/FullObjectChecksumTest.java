package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumType;

/** Which CRC32C answers describe the whole object (S3's checksum types). */
class FullObjectChecksumTest {

  @Test
  void aFullObjectChecksumIsTheObjects() {
    assertThat(S3ObjectStore.fullObject("mPoOMw==", ChecksumType.FULL_OBJECT))
        .isEqualTo("mPoOMw==");
  }

  /** S3Proxy answers a PutObject with the checksum and no type; only composites carry "-N". */
  @Test
  void aChecksumWithoutATypeIsTheObjectsUnlessItCountsParts() {
    assertThat(S3ObjectStore.fullObject("c9/hSg==", null)).isEqualTo("c9/hSg==");
    assertThat(S3ObjectStore.fullObject("c9/hSg==-3", null)).isNull();
  }

  @Test
  void aCompositeChecksumIsNotTheObjects() {
    assertThat(S3ObjectStore.fullObject("c9/hSg==-3", ChecksumType.COMPOSITE)).isNull();
    assertThat(S3ObjectStore.fullObject("c9/hSg==", ChecksumType.COMPOSITE)).isNull();
  }

  @Test
  void noChecksumIsNone() {
    assertThat(S3ObjectStore.fullObject(null, ChecksumType.FULL_OBJECT)).isNull();
  }
}
