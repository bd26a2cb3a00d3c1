package dev.lea.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LockStrategiesTest {

  @Test
  void findsEachStrategyByName() {
    assertThat(LockStrategies.named("lock-file")).isInstanceOf(LockFileStrategy.class);
    assertThat(LockStrategies.named("conditional-write"))
        .isInstanceOf(ConditionalWriteStrategy.class);
    assertThat(LockStrategies.named("none")).isInstanceOf(NoLockStrategy.class);
  }

  @Test
  void anUnknownNameListsTheAvailableOnes() {
    assertThatThrownBy(() -> LockStrategies.named("lockfile"))
        .isInstanceOf(LeaException.class)
        .hasMessage("Unknown lock strategy 'lockfile'; available: conditional-write, lock-file,"
            + " none");
  }

  @Test
  void anUnknownConfiguredNameNamesTheKeyItsSourceAndTheValidOnes() {
    LeaConfig config = LeaConfig.defaults(Path.of("")).with(LeaSettings.LOCK, "lockfile");
    assertThatThrownBy(() -> LockStrategies.configured(config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use 'lockfile' for lea.ducklake.lock (LEA_DUCKLAKE_LOCK, from"
            + " configuration): valid values: conditional-write, lock-file, none.");
  }
}
