package dev.lea.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durations are bounded (issue 17 item 9): a TTL of 200000000000 days overflowed and left a lock
 * expiring in the year 547583428; one of 1 ms could never be renewed.
 */
class DurationBoundsTest {

  @TempDir Path project;

  private LeaConfig resolve(String key, String value) {
    return ConfigResolver.builder().projectDirectory(project)
        .systemProperties(Map.of(key, value)).resolve();
  }

  @Test
  void aHugeTtlIsRefusedWithTheAllowedRange() {
    assertThatThrownBy(() -> resolve("lea.lock.ttl", "200000000000d"))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessage("Cannot use '200000000000d' for lea.lock.ttl (LEA_LOCK_TTL, from system"
            + " property): expected a duration from PT1S to P1D, such as PT2M, 90s, 5m or 1h.");
  }

  @Test
  void aTtlTooShortToRenewIsRefused() {
    assertThatThrownBy(() -> resolve("lea.lock.ttl", "1ms"))
        .hasMessageContaining("expected a duration from PT1S to P1D");
  }

  @Test
  void aNumberTooLargeForADurationIsRefusedTheSameWay() {
    assertThatThrownBy(() -> resolve("lea.lock.wait", "99999999999999999999d"))
        .hasMessageContaining("for lea.lock.wait (LEA_LOCK_WAIT, from system property): expected a"
            + " duration from PT0S to P1D");
  }

  @Test
  void theBoundsThemselvesAreAccepted() {
    assertThat(resolve("lea.lock.ttl", "1s").duration(LeaSettings.LOCK_TTL))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(resolve("lea.lock.ttl", "P1D").duration(LeaSettings.LOCK_TTL))
        .isEqualTo(Duration.ofDays(1));
    assertThat(resolve("lea.lock.wait", "0s").duration(LeaSettings.LOCK_WAIT)).isZero();
  }

  @Test
  void aNegativeDurationIsRefused() {
    assertThatThrownBy(() -> resolve("lea.gc.grace", "-P1D"))
        .hasMessageContaining("for lea.gc.grace (LEA_GC_GRACE, from system property): expected a"
            + " duration from PT0S to P3650D");
  }
}
