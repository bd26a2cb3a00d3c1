package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.spi.Reporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reporter lea's work gets keeps a terminal's in-place progress line, and scrubs it. */
class ScrubbedProgressTest {

  @Test
  void aScrubbedTerminalReporterStillRewritesOneLineAndMasksSecretsInIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    Reporter reporter = Scrubber.of(Map.of("PGPASSWORD", "pg-password-1"), Map.of())
        .wrap(Reporter.console(print, print, true));

    reporter.progress("Still uploading catalog to pg-password-1 after 2.00 s");
    reporter.progressDone();

    assertThat(reporter.updatesInPlace()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("\rStill uploading catalog to ")
        .doesNotContain("pg-password-1")
        .endsWith(" after 2.00 s" + System.lineSeparator());
  }
}
