package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 18: a run's tables and tests as JUnit XML, read back with the JDK's parser as a CI system
 * reads Surefire's, and its summary as JSON.
 */
class RunReportsTest {

  @TempDir Path project;

  @BeforeEach
  void project() throws Exception {
    LeaProject.in(project)
        .script("core/a.sql", "SELECT\n    -- #UNIQUE\n    range AS x\nFROM range(3)\n")
        .test("small.sql", "SELECT x FROM core.a WHERE x > 5\n");
  }

  private LeaConfig config() {
    return LeaProject.in(project).production();
  }

  @Test
  void aPassingRunIsOneTestCasePerTableAndTestAndASummaryWithTheUploadedVersion()
      throws Exception {
    Path reports = project.resolve("target/lea-reports");
    Lea.run(config(), Reporter.silent(), reports);

    Element suite = suite(reports);
    assertThat(suite.getAttribute("name")).isEqualTo("lea");
    assertThat(suite.getAttribute("tests")).isEqualTo("3");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(cases(suite)).containsExactly("lea.table core.a", "lea.test tests.core__a__x___unique",
        "lea.test tests.small");
    assertThat(suite.getElementsByTagName("failure").getLength()).isZero();

    JsonNode run = new ObjectMapper().readTree(reports.resolve("run.json").toFile());
    assertThat(run.get("succeeded").asBoolean()).isTrue();
    assertThat(run.get("tables").asInt()).isEqualTo(1);
    assertThat(run.get("tests").asInt()).isEqualTo(2);
    assertThat(run.get("rows").asLong()).isEqualTo(3);
    assertThat(run.get("seconds").asDouble()).isPositive();
    assertThat(run.get("scripts").get(0).get("name").asText()).isEqualTo("core.a");
    assertThat(run.get("scripts").get(0).get("rows").asLong()).isEqualTo(3);
    JsonNode catalog = run.get("catalog");
    assertThat(catalog.get("outcome").asText()).isEqualTo("uploaded");
    assertThat(catalog.get("bytesUploaded").asLong())
        .isEqualTo(Files.size(project.resolve("bucket/warehouse.duckdb")));
    try (ObjectStore bucket = ObjectStores.file(project.resolve("bucket"))) {
      assertThat(catalog.get("version").asText())
          .isEqualTo(bucket.head("warehouse.duckdb").orElseThrow().version());
    }
  }

  @Test
  void aFailedTestIsAFailureWithItsFirstRowsAndTheRunStillWritesItsReports() throws Exception {
    Files.writeString(project.resolve("tests/small.sql"), "SELECT x FROM core.a WHERE x > 0\n");
    Path reports = project.resolve("target/lea-reports");
    catchThrowableOfType(LeaException.class, () -> Lea.run(config(), Reporter.silent(), reports));

    Element suite = suite(reports);
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    NodeList failures = suite.getElementsByTagName("failure");
    assertThat(failures.getLength()).isEqualTo(1);
    Element failure = (Element) failures.item(0);
    assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("tests.small");
    assertThat(failure.getAttribute("message"))
        .startsWith("Test tests.small failed: it returned 2 rows");
    assertThat(failure.getTextContent()).contains("First rows: {x=1}, {x=2}");

    JsonNode run = new ObjectMapper().readTree(reports.resolve("run.json").toFile());
    assertThat(run.get("succeeded").asBoolean()).isFalse();
    assertThat(run.get("failure").asText()).startsWith("Test tests.small failed");
  }

  private static Element suite(Path reports) throws Exception {
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(reports.resolve("TEST-lea.xml").toFile());
    return document.getDocumentElement();
  }

  private static List<String> cases(Element suite) {
    NodeList cases = suite.getElementsByTagName("testcase");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element testCase = (Element) cases.item(i);
      names.add(testCase.getAttribute("classname") + " " + testCase.getAttribute("name"));
    }
    return names;
  }
}
