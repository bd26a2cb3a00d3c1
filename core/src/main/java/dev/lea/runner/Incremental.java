package dev.lea.runner;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code lea.incremental=<field>=<v1>,<v2>}: scripts tagged {@code -- #INCREMENTAL} on that field
 * only compute those values and replace them in their table, as lea's incremental mode does.
 */
record Incremental(String field, List<String> values) {

  static Optional<Incremental> from(LeaConfig config) {
    Optional<String> setting = config.find(LeaSettings.INCREMENTAL);
    if (setting.isEmpty()) {
      return Optional.empty();
    }
    String text = setting.get();
    int equals = text.indexOf('=');
    List<String> values = new ArrayList<>();
    if (equals > 0) {
      for (String value : text.substring(equals + 1).split(",")) {
        if (!value.isBlank()) {
          values.add(value.strip());
        }
      }
    }
    if (equals <= 0 || values.isEmpty()) {
      throw LeaException.user("Cannot read " + LeaSettings.INCREMENTAL + " (LEA_INCREMENTAL) '"
          + text + "': expected <field>=<value>[,<value>...], e.g. account_slug=acme,globex.");
    }
    return Optional.of(new Incremental(text.substring(0, equals).strip(), List.copyOf(values)));
  }

  /** {@code "field" IN ('v1', 'v2')} */
  String in() {
    return TableName.quote(field) + " IN (" + list() + ")";
  }

  String notIn() {
    return TableName.quote(field) + " NOT IN (" + list() + ")";
  }

  private String list() {
    List<String> literals = new ArrayList<>();
    values.forEach(value -> literals.add(TableName.literal(value)));
    return String.join(", ", literals);
  }

  boolean marks(Node node) {
    return node.tags().stream().anyMatch(tag -> tag.kind() == AssertionTags.Kind.INCREMENTAL
        && tag.column().equalsIgnoreCase(field));
  }

  boolean filterable(Node node) {
    return node.parsed().namedSelects().stream().anyMatch(name -> name.equalsIgnoreCase(field));
  }

  @Override
  public String toString() {
    return field + "=" + String.join(",", values);
  }
}
