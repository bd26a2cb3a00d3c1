package dev.lea.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.ConfigurationReference;
import dev.lea.config.LeaSettings;
import dev.lea.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * docs/configuration.md's tables are generated: the settings from the registry (with what the
 * resolver accepts for each), the goals and the plugin's named parameters from the plugin
 * descriptor Maven builds from the mojos. Run with {@code -Ddocs.write=true} to rewrite them.
 */
class ConfigurationReferenceTest {

  private static final Path DESCRIPTOR = Path.of("target", "classes", "META-INF", "maven",
      "plugin.xml");

  @Test
  void theConfigurationReferenceIsGenerated() throws Exception {
    Document descriptor = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(DESCRIPTOR.toFile());
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("settings", ConfigurationReference.settingsTable(LeaSettings.all()));
    parts.put("goals", goalsTable(descriptor));
    parts.put("parameters", parametersTable(descriptor));

    ConfigurationReference.Comparison doc = ConfigurationReference.compare(parts);

    assertThat(doc.actual()).as("docs/configuration.md is out of date. %s",
        ConfigurationReference.REGENERATE).isEqualTo(doc.expected());
  }

  @Test
  void theGuidesGoalTableNamesEveryGoal() throws Exception {
    Document descriptor = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(DESCRIPTOR.toFile());
    String guide = Files.readString(Path.of("..", "docs", "guide.md"));
    for (Element mojo : elements(descriptor.getDocumentElement(), "mojo")) {
      assertThat(guide).as("docs/guide.md's goal table").contains(
          "| `lea:" + child(mojo, "goal") + "` |");
    }
  }

  private static String goalsTable(Document descriptor) {
    StringBuilder table = new StringBuilder("| goal | does |\n|---|---|\n");
    for (Element mojo : elements(descriptor.getDocumentElement(), "mojo")) {
      table.append("| `lea:").append(child(mojo, "goal")).append("` | ")
          .append(ConfigurationReference.text(child(mojo, "description"))).append(" |\n");
    }
    return table.toString();
  }

  /** Every named parameter a user can set, with its -D property and the goals that take it. */
  private static String parametersTable(Document descriptor) {
    List<Element> mojos = elements(descriptor.getDocumentElement(), "mojo");
    Map<String, Parameter> parameters = new TreeMap<>();
    for (Element mojo : mojos) {
      String goal = "lea:" + child(mojo, "goal");
      Element configuration = elements(mojo, "configuration").get(0);
      for (Element parameter : elements(mojo, "parameter")) {
        if (!child(parameter, "editable").equals("true")) {
          continue;
        }
        String name = child(parameter, "name");
        List<Element> configured = elements(configuration, name);
        String expression = configured.isEmpty() ? "" : configured.get(0).getTextContent();
        String property = expression.startsWith("${") ? expression.substring(2,
            expression.length() - 1) : "";
        String defaultValue = configured.isEmpty() ? ""
            : configured.get(0).getAttribute("default-value");
        parameters.computeIfAbsent(name, n -> new Parameter(n, property, defaultValue,
            child(parameter, "description"), new ArrayList<>())).goals().add(goal);
      }
    }
    StringBuilder table = new StringBuilder(
        "| parameter | `-D` property | goals | default | meaning |\n|---|---|---|---|---|\n");
    for (Parameter parameter : parameters.values()) {
      Setting setting = LeaSettings.byProperty(parameter.property());
      String meaning = setting != null ? "The setting `" + setting.property() + "`."
          : ConfigurationReference.text(parameter.description());
      String goals = parameter.goals().size() == mojos.size() ? "all"
          : String.join(", ", parameter.goals().stream().map(g -> "`" + g + "`").toList());
      table.append("| `<").append(parameter.name()).append(">` | ")
          .append(parameter.property().isEmpty() ? "" : "`" + parameter.property() + "`")
          .append(" | ").append(goals).append(" | ")
          .append(parameter.defaultValue().isEmpty() ? "" : "`" + parameter.defaultValue() + "`")
          .append(" | ").append(meaning).append(" |\n");
    }
    return table.toString();
  }

  private record Parameter(
      String name, String property, String defaultValue, String description, List<String> goals) {}

  private static List<Element> elements(Element parent, String name) {
    NodeList nodes = parent.getElementsByTagName(name);
    List<Element> result = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      result.add((Element) nodes.item(i));
    }
    return result;
  }

  private static String child(Element parent, String name) {
    return elements(parent, name).get(0).getTextContent().trim();
  }
}
