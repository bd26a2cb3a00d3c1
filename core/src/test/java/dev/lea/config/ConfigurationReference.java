package dev.lea.config;

import dev.lea.lock.LockStrategies;
import dev.lea.policy.FailurePolicies;
import dev.lea.transport.CatalogTransports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the generated parts of {@code docs/configuration.md} from the settings registry, so the
 * reference cannot drift from what the resolver accepts. A generated part sits between
 * {@code <!-- generated:NAME -->} and {@code <!-- end generated:NAME -->}; everything else in the
 * file is written by hand.
 *
 * <p>The maven-plugin module's {@code ConfigurationReferenceTest} checks and rewrites the whole
 * file, since only there are the plugin's parameters and every store visible; core's
 * {@link ConfigurationDocTest} checks the rows of core's own settings.
 */
public final class ConfigurationReference {

  /** The system property that makes the doc tests rewrite the file instead of failing. */
  public static final String WRITE_PROPERTY = "docs.write";
  public static final String REGENERATE = "Regenerate it with: mvn -B -ntp -pl maven-plugin -am"
      + " test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -D"
      + WRITE_PROPERTY + "=true";

  private static final Pattern DEFAULT_IN_DESCRIPTION =
      Pattern.compile("\\s*\\(default: ([^)]*)\\)");

  private ConfigurationReference() {}

  /** {@code docs/configuration.md} seen from a module directory. */
  public static Path file() {
    return Path.of("..", "docs", "configuration.md");
  }

  /** The settings table: one row per setting, in registry order. */
  public static String settingsTable(List<Setting> settings) {
    StringBuilder table = new StringBuilder(
        "| property | environment | default | valid values | meaning |\n|---|---|---|---|---|\n");
    settings.forEach(setting -> table.append(row(setting)).append('\n'));
    return table.toString();
  }

  /** One setting's row. */
  public static String row(Setting setting) {
    String description = setting.description();
    String shownDefault = setting.defaultValue() == null || setting.defaultValue().isEmpty()
        ? "" : code(setting.defaultValue());
    Matcher computed = DEFAULT_IN_DESCRIPTION.matcher(description);
    if (shownDefault.isEmpty() && computed.find()) {
      shownDefault = text(computed.group(1));
      description = computed.replaceFirst("");
    }
    String meaning = text(description) + (setting.secret() ? " Secret: never printed." : "");
    return "| " + code(setting.property()) + " | " + code(setting.environmentName()) + " | "
        + shownDefault + " | " + validValues(setting) + " | " + meaning + " |";
  }

  /** The names a provider setting accepts; config itself knows none of them (layers point down). */
  static Set<String> providerNames(String property) {
    return Map.<String, Supplier<Set<String>>>of(LeaSettings.TRANSPORT, CatalogTransports::names,
        LeaSettings.LOCK, LockStrategies::names, LeaSettings.ON_FAILURE, FailurePolicies::names)
        .get(property).get();
  }

  /** What the resolver accepts for a setting, as its error message says it. */
  static String validValues(Setting setting) {
    return switch (setting.type()) {
      case STRING -> "";
      case CHOICE -> codes(setting.allowed());
      case PROVIDER -> codes(new ArrayList<>(providerNames(setting.property())));
      case BOOLEAN -> codes(List.of("true", "false"));
      case DURATION -> {
        LeaSettings.DurationRange range = LeaSettings.durationRange(setting.property());
        yield "a duration from " + code(ConfigResolver.format(range.min())) + " to "
            + code(ConfigResolver.format(range.max()));
      }
      case INTEGER -> "a whole number" + LeaSettings.integerMinimum(setting.property())
          .map(minimum -> " of at least " + minimum).orElse("");
      case SIZE -> "a size: bytes, or `KiB`, `MiB`, `GiB`";
    };
  }

  /**
   * Replaces each generated part of {@code document} with its new text.
   *
   * @throws IllegalArgumentException when a part's markers are missing
   */
  public static String regenerate(String document, Map<String, String> parts) {
    String result = document;
    for (Map.Entry<String, String> part : parts.entrySet()) {
      String start = "<!-- generated:" + part.getKey() + " -->\n";
      String end = "<!-- end generated:" + part.getKey() + " -->";
      int from = result.indexOf(start);
      int to = result.indexOf(end);
      if (from < 0 || to < from) {
        throw new IllegalArgumentException("docs/configuration.md has no '" + start.trim()
            + "' ... '" + end + "' part");
      }
      result = result.substring(0, from + start.length()) + part.getValue()
          + result.substring(to);
    }
    return result;
  }

  /** The file as it is and as it should be. */
  public record Comparison(String actual, String expected) {}

  /**
   * Compares {@code docs/configuration.md} with its regenerated text; with
   * {@code -Ddocs.write=true} writes the regenerated text first.
   */
  public static Comparison compare(Map<String, String> parts) throws IOException {
    String actual = Files.readString(file());
    String expected = regenerate(actual, parts);
    if (Boolean.getBoolean(WRITE_PROPERTY) && !expected.equals(actual)) {
      Files.writeString(file(), expected);
      actual = expected;
    }
    return new Comparison(actual, expected);
  }

  private static String codes(List<String> values) {
    return values.stream().map(ConfigurationReference::code).collect(Collectors.joining(", "));
  }

  private static String code(String value) {
    return "`" + value.replace("|", "\\|") + "`";
  }

  /** Table-cell text: a pipe would end the cell, and {@code <name>} would be taken for HTML. */
  public static String text(String value) {
    return value.replace("|", "\\|").replace("<", "\\<").replace(">", "\\>");
  }
}
