package dev.lea;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lea.runner.RunResult;
import dev.lea.runner.ScriptRun;
import dev.lea.sync.SyncResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A run's results as files CI systems read: {@value #JUNIT_FILE}, lea's tables and tests as JUnit
 * test cases in Surefire's format, and {@value #SUMMARY_FILE}, the run's numbers. Front-ends pick
 * the directory ({@code lea:run} writes {@code target/lea-reports}).
 */
final class RunReports {

  static final String JUNIT_FILE = "TEST-lea.xml";
  static final String SUMMARY_FILE = "run.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private RunReports() {}

  /**
   * Writes both files into {@code directory}, created if needed.
   *
   * @param sync where the catalog went, or null when the run did not get that far
   * @param started when the run started, for the suite's timestamp and the total time
   */
  static void write(Path directory, RunResult result, SyncResult sync, Instant started)
      throws IOException {
    write(directory, result, sync, started, UnaryOperator.identity());
  }

  /**
   * As {@link #write(Path, RunResult, SyncResult, Instant)}, passing every message through
   * {@code scrub}, which removes secrets.
   */
  static void write(Path directory, RunResult result, SyncResult sync, Instant started,
      UnaryOperator<String> scrub) throws IOException {
    Files.createDirectories(directory);
    double seconds = (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0;
    writeJunit(directory.resolve(JUNIT_FILE), result, started, seconds, scrub);
    JSON.writeValue(directory.resolve(SUMMARY_FILE).toFile(),
        summary(result, sync, seconds, scrub));
  }

  private static void writeJunit(Path file, RunResult result, Instant started, double seconds,
      UnaryOperator<String> scrub) throws IOException {
    List<ScriptRun> runs = result.scripts();
    long failures = runs.stream().filter(r -> r.status() == ScriptRun.Status.FAILED).count();
    long skipped = runs.stream().filter(RunReports::skipped).count();
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", "lea");
      xml.writeAttribute("tests", Integer.toString(runs.size()));
      xml.writeAttribute("failures", Long.toString(failures));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", Long.toString(skipped));
      xml.writeAttribute("time", seconds(seconds));
      xml.writeAttribute("timestamp", started.toString());
      for (ScriptRun run : runs) {
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "lea." + kind(run));
        xml.writeAttribute("name", run.name());
        xml.writeAttribute("file", run.source());
        xml.writeAttribute("time", seconds(run.seconds()));
        if (run.status() == ScriptRun.Status.FAILED) {
          String message = scrub.apply(run.message());
          xml.writeStartElement("failure");
          xml.writeAttribute("message", firstLine(message));
          xml.writeAttribute("type", run.kind() == ScriptRun.Kind.TEST ? "lea.TestFailed"
              : "lea.ScriptFailed");
          xml.writeCharacters(message);
          xml.writeEndElement();
        } else if (skipped(run)) {
          xml.writeEmptyElement("skipped");
          xml.writeAttribute("message", scrub.apply(run.status().name().toLowerCase(Locale.ROOT)
              + (run.message().isEmpty() ? "" : ": " + run.message())));
        }
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> summary(RunResult result, SyncResult sync, double seconds,
      UnaryOperator<String> scrub) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("succeeded", result.succeeded());
    summary.put("dryRun", result.dryRun());
    summary.put("seconds", seconds);
    summary.put("tables", result.scripts().stream()
        .filter(r -> r.kind() == ScriptRun.Kind.TABLE).count());
    summary.put("tests", result.scripts().stream()
        .filter(r -> r.kind() == ScriptRun.Kind.TEST).count());
    summary.put("rows", result.scripts().stream().mapToLong(r -> Math.max(0, r.rows())).sum());
    summary.put("failure", result.failureMessage().map(scrub).orElse(null));
    List<Map<String, Object>> scripts = new ArrayList<>();
    for (ScriptRun run : result.scripts()) {
      Map<String, Object> script = new LinkedHashMap<>();
      script.put("name", run.name());
      script.put("kind", kind(run));
      script.put("status", run.status().name().toLowerCase(Locale.ROOT));
      script.put("rows", run.rows() < 0 ? null : run.rows());
      script.put("seconds", run.seconds());
      script.put("source", run.source());
      script.put("message", run.message().isEmpty() ? null : scrub.apply(run.message()));
      scripts.add(script);
    }
    summary.put("scripts", scripts);
    if (sync != null) {
      Map<String, Object> catalog = new LinkedHashMap<>();
      catalog.put("outcome", sync.outcome().name().toLowerCase(Locale.ROOT));
      catalog.put("where", scrub.apply(String.valueOf(sync.where())));
      catalog.put("version", sync.version());
      catalog.put("bytesUploaded", sync.bytes() < 0 ? null : sync.bytes());
      summary.put("catalog", catalog);
    }
    return summary;
  }

  private static boolean skipped(ScriptRun run) {
    return run.status() == ScriptRun.Status.NOT_RUN || run.status() == ScriptRun.Status.RESUMED
        || run.status() == ScriptRun.Status.PLANNED;
  }

  private static String kind(ScriptRun run) {
    return run.kind().name().toLowerCase(Locale.ROOT);
  }

  private static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
