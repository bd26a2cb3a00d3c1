package dev.lea.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.spi.Reporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which progress a goal's reporter gives: one rewritten line on a console, log lines in -B. */
class ProgressReporterTest {

  private final List<String> logged = new ArrayList<>();
  private final Reporter log = Reporters.collectingMarked(logged);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

  @Test
  void batchModeLogsEachProgressLine() {
    Reporter reporter = AbstractLeaMojo.reporter(log, false, true, print);

    reporter.progress("Still uploading catalog s3://b/k after 10.00 s (1.0 MiB)");
    reporter.progressDone();

    assertThat(reporter.updatesInPlace()).isFalse();
    assertThat(logged).containsExactly("Still uploading catalog s3://b/k after 10.00 s (1.0 MiB)");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void anInteractiveBuildWithoutAConsoleLogsToo() {
    assertThat(AbstractLeaMojo.reporter(log, true, false, print).updatesInPlace()).isFalse();
  }

  @Test
  void anInteractiveBuildOnAConsoleRewritesOneInfoLineAndEndsItBeforeTheNextMessage() {
    Reporter reporter = AbstractLeaMojo.reporter(log, true, true, print);

    reporter.progress("Still uploading catalog s3://b/k after 2.00 s (1.0 MiB)");
    reporter.info("Uploaded catalog s3://b/k (1.0 MiB) in 2.50 s");

    assertThat(reporter.updatesInPlace()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
        "\r[INFO] Still uploading catalog s3://b/k after 2.00 s (1.0 MiB)" + System.lineSeparator());
    assertThat(logged).containsExactly("Uploaded catalog s3://b/k (1.0 MiB) in 2.50 s");
  }
}
