package dev.lea.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailurePoliciesTest {

  @TempDir Path project;

  @Test
  void theConfiguredPolicyIsFoundByName() {
    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .environment(Map.of("LEA_DUCKLAKE_ON_FAILURE", "upload-aside")).resolve();
    assertThat(FailurePolicies.configured(config)).isInstanceOf(UploadAsidePolicy.class);
  }

  @Test
  void anUnknownNameIsRefusedWithItsSourceAndTheAvailableOnes() {
    LeaConfig config = ConfigResolver.builder().projectDirectory(project)
        .systemProperties(Map.of("lea.ducklake.onFailure", "upload-sometimes")).resolve();
    assertThatThrownBy(() -> FailurePolicies.configured(config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use 'upload-sometimes' for lea.ducklake.onFailure"
            + " (LEA_DUCKLAKE_ON_FAILURE, from system property): valid values: upload-always,"
            + " upload-aside, upload-on-success.");
  }
}
