package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Reporters;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The progress of a real {@link Transfers} run: the transfer runs on its thread as in a session,
 * while a scripted ticker stands in for the clock and the waiting, so the schedule is exact and
 * nothing sleeps.
 */
class TransfersTest {

  private static final long MIB = 1024 * 1024;

  /**
   * A clock that moves only when the transfers loop waits: each wait advances it by what was
   * asked, and the transfer (blocked on a latch) finishes once the clock reaches {@code endAt}.
   * The meter's bytes grow at {@code bytesPerSecond}.
   */
  private static final class ScriptedTicker implements Transfers.Ticker {
    final CountDownLatch finish = new CountDownLatch(1);
    final AtomicLong done = new AtomicLong();
    final long endAt;
    final long bytesPerSecond;
    long now = 1_000_000_000_000L;
    final long start = now;

    ScriptedTicker(Duration endAfter, long bytesPerSecond) {
      this.endAt = start + endAfter.toNanos();
      this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public <T> T await(Future<T> task, long nanos)
        throws InterruptedException, ExecutionException, TimeoutException {
      if (now + nanos >= endAt) {
        now = endAt;
        finish.countDown();
        return task.get();
      }
      now += nanos;
      done.set(bytesPerSecond * (now - start) / 1_000_000_000L);
      throw new TimeoutException();
    }
  }

  private static LeaConfig config(Map<String, String> settings) {
    return ConfigResolver.builder().projectDirectory(Path.of(".")).configuration(settings)
        .resolve();
  }

  private static String run(Transfers transfers, ScriptedTicker ticker, Transfers.Meter meter)
      throws IOException {
    return transfers.run("downloading catalog s3://b/lake.ducklake", meter, () -> {
      try {
        ticker.finish.await();
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
      return "done";
    });
  }

  @Test
  void aLogGetsAWholeLineEveryProgressIntervalWithBytesPercentAndRate() throws IOException {
    ScriptedTicker ticker = new ScriptedTicker(Duration.ofSeconds(35), 2 * MIB);
    List<String> lines = new ArrayList<>();
    Reporter log = Reporters.collectingMarked(lines);
    Transfers transfers = new Transfers(config(Map.of(LeaSettings.TRANSFER_PROGRESS, "PT10S")),
        log, ticker);

    String result = run(transfers, ticker, new Transfers.Meter(ticker.done::get, () -> 80 * MIB));

    assertThat(result).isEqualTo("done");
    assertThat(lines).containsExactly(
        "Still downloading catalog s3://b/lake.ducklake after 10.00 s: 20.0 MiB of 80.0 MiB"
            + " (25%), 2.0 MiB/s (gives up after PT30M, lea.transfer.timeout)",
        "Still downloading catalog s3://b/lake.ducklake after 20.00 s: 40.0 MiB of 80.0 MiB"
            + " (50%), 2.0 MiB/s (gives up after PT30M, lea.transfer.timeout)",
        "Still downloading catalog s3://b/lake.ducklake after 30.00 s: 60.0 MiB of 80.0 MiB"
            + " (75%), 2.0 MiB/s (gives up after PT30M, lea.transfer.timeout)");
  }

  @Test
  void aTerminalGetsOneLineRewrittenEverySecondAfterTwoAndEndedByANewline() throws IOException {
    ScriptedTicker ticker = new ScriptedTicker(Duration.ofMillis(4500), 4 * MIB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    Reporter terminal = Reporter.console(print, print, true);
    Transfers transfers = new Transfers(config(Map.of()), terminal, ticker);

    run(transfers, ticker, new Transfers.Meter(ticker.done::get, () -> 20 * MIB));
    terminal.info("Downloaded catalog s3://b/lake.ducklake (18.0 MiB) in 4.50 s");

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
        "\rStill downloading catalog s3://b/lake.ducklake after 2.00 s: 8.0 MiB of 20.0 MiB"
            + " (40%), 4.0 MiB/s"
            + "\rStill downloading catalog s3://b/lake.ducklake after 3.00 s: 12.0 MiB of 20.0 MiB"
            + " (60%), 4.0 MiB/s"
            + "\rStill downloading catalog s3://b/lake.ducklake after 4.00 s: 16.0 MiB of 20.0 MiB"
            + " (80%), 4.0 MiB/s"
            + System.lineSeparator()
            + "Downloaded catalog s3://b/lake.ducklake (18.0 MiB) in 4.50 s"
            + System.lineSeparator());
  }

  @Test
  void aShorterLineOverwritesTheTailOfTheLongerOneBeforeIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    Reporter terminal = Reporter.inPlace(Reporter.silent(), print, "[INFO] ");

    terminal.progress("123456");
    terminal.progress("1234");
    terminal.progressDone();
    terminal.progressDone();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("\r[INFO] 123456\r[INFO] 1234  " + System.lineSeparator());
  }

  @Test
  void aTransferShorterThanTwoSecondsShowsNothingOnATerminal() throws IOException {
    ScriptedTicker ticker = new ScriptedTicker(Duration.ofMillis(1900), MIB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    Transfers transfers = new Transfers(config(Map.of()), Reporter.console(print, print, true),
        ticker);

    run(transfers, ticker, new Transfers.Meter(ticker.done::get, () -> 2 * MIB));

    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void withoutAByteCountTheLineSaysTheSizeAndTheTimeSoFar() {
    assertThat(Transfers.line("uploading catalog s3://b/lake.ducklake",
        new Transfers.Meter(() -> -1, () -> 256 * MIB), 12_000_000_000L))
        .isEqualTo("Still uploading catalog s3://b/lake.ducklake after 12.00 s (256.0 MiB)");
    assertThat(Transfers.line("downloading catalog s3://b/lake.ducklake",
        new Transfers.Meter(() -> 3 * MIB, () -> -1), 2_000_000_000L))
        .isEqualTo("Still downloading catalog s3://b/lake.ducklake after 2.00 s: 3.0 MiB,"
            + " 1.5 MiB/s");
  }

  @Test
  void theDeadlineStillEndsATransferThatReportsProgress() {
    ScriptedTicker ticker = new ScriptedTicker(Duration.ofHours(1), MIB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    Transfers transfers = new Transfers(config(Map.of(LeaSettings.TRANSFER_TIMEOUT, "PT5S")),
        Reporter.console(print, print, true), ticker);
    AtomicBoolean stalled = new AtomicBoolean();
    transfers.onStalled(() -> stalled.set(true));

    assertThatThrownBy(() -> run(transfers, ticker, new Transfers.Meter(ticker.done::get,
        () -> -1)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot finish downloading catalog s3://b/lake.ducklake: it took"
            + " longer than lea.transfer.timeout (PT5S)");
    assertThat(stalled).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("\rStill downloading catalog s3://b/lake.ducklake after 4.00 s: 4.0 MiB,"
            + " 1.0 MiB/s")
        .endsWith(System.lineSeparator());
  }
}
