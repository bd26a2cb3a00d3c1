package dev.lea.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaSettings;
import dev.lea.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every setting, variable and plugin parameter the user docs name exists, so a renamed key (the
 * guide once said lea.cacheDir for lea.cache.dir) fails here instead of in a user's build.
 */
class DocsNameRealSettingsTest {

  private static final Pattern PROPERTY =
      Pattern.compile("(?<![\\w.\\-/])lea\\.[a-zA-Z][a-zA-Z0-9.]*[a-zA-Z0-9]");
  private static final Pattern VARIABLE = Pattern.compile("\\bLEA_[A-Z0-9_]*[A-Z0-9]");
  private static final Pattern XML_BLOCK = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL);

  /** Named on purpose though they are no setting: lea's own spellings and typo examples. */
  private static final Map<String, String> NOT_SETTINGS = Map.of(
      "lea.table", "the JUnit class name of a table build in TEST-lea.xml",
      "lea.test", "the JUnit class name of a test in TEST-lea.xml",
      "lea.lock.wiat", "the typo the guide shows being refused",
      "LEA_LOCK_WIAT", "the typo the guide shows being warned about",
      "lea.dry", "lea's spelling lea.dry-run, shown being refused",
      "lea.quack", "lea's --quack, shown being refused");
  /** lea's BigQuery and quack variables, which the guide lists as not supported. */
  private static final List<String> UNSUPPORTED_PREFIXES = List.of("LEA_BQ_", "LEA_QUACK_");

  @ParameterizedTest
  @ValueSource(strings = {"README.md", "docs/guide.md", "docs/configuration.md"})
  void everyPropertyAndVariableNamedIsASetting(String file) throws Exception {
    String text = Files.readString(Path.of("..").resolve(file));
    Set<String> known = new TreeSet<>(AbstractLeaMojo.GOAL_PROPERTIES);
    Set<String> variables = new TreeSet<>();
    for (Setting setting : LeaSettings.all()) {
      known.add(setting.property());
      variables.add(setting.environmentName());
    }
    List<String> unknown = new ArrayList<>();
    Matcher property = PROPERTY.matcher(text);
    while (property.find()) {
      String name = property.group();
      boolean prefix = known.stream().anyMatch(k -> k.startsWith(name + "."));
      if (!known.contains(name) && !prefix && !NOT_SETTINGS.containsKey(name)) {
        unknown.add(name);
      }
    }
    Matcher variable = VARIABLE.matcher(text);
    while (variable.find()) {
      String name = variable.group();
      boolean unsupported = UNSUPPORTED_PREFIXES.stream().anyMatch(name::startsWith)
          || UNSUPPORTED_PREFIXES.contains(name + "_");
      if (!variables.contains(name) && !unsupported && !NOT_SETTINGS.containsKey(name)) {
        unknown.add(name);
      }
    }
    assertThat(unknown).as("settings named in %s that do not exist", file).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"README.md", "docs/guide.md"})
  void everyPluginConfigurationNamesRealParameters(String file) throws Exception {
    Set<String> parameters = new TreeSet<>();
    Document descriptor = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Path.of("target", "classes", "META-INF", "maven", "plugin.xml").toFile());
    NodeList names = descriptor.getElementsByTagName("name");
    for (int i = 0; i < names.getLength(); i++) {
      if (names.item(i).getParentNode().getNodeName().equals("parameter")) {
        parameters.add(names.item(i).getTextContent().trim());
      }
    }
    List<String> unknown = new ArrayList<>();
    Matcher block = XML_BLOCK.matcher(Files.readString(Path.of("..").resolve(file)));
    while (block.find()) {
      String xml = block.group(1);
      if (!xml.contains("<configuration>")) {
        continue;
      }
      String wrapped = xml.contains("<project") ? xml : "<root>" + xml + "</root>";
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new org.xml.sax.InputSource(new java.io.StringReader(wrapped)));
      NodeList configurations = doc.getElementsByTagName("configuration");
      for (int i = 0; i < configurations.getLength(); i++) {
        for (Element child : children((Element) configurations.item(i))) {
          if (!parameters.contains(child.getTagName())) {
            unknown.add("<" + child.getTagName() + ">");
          }
          if (child.getTagName().equals("settings")) {
            children(child).stream().map(Element::getTagName)
                .filter(name -> LeaSettings.byProperty(name) == null)
                .forEach(unknown::add);
          }
        }
      }
    }
    assertThat(unknown).as("plugin configuration in %s that the plugin does not take", file)
        .isEmpty();
    if (file.equals("docs/guide.md")) {
      String guide = Files.readString(Path.of("..", "docs", "guide.md"));
      parameters.stream().filter(p -> !p.equals("session"))
          .forEach(p -> assertThat(guide).as("the guide shows <%s>", p).contains("<" + p + ">"));
    }
  }

  private static List<Element> children(Element parent) {
    List<Element> result = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element) {
        result.add(element);
      }
    }
    return result;
  }
}
