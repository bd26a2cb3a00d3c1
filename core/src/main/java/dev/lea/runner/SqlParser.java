package dev.lea.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.LeaException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a query with DuckDB's own parser ({@code json_serialize_sql}), so dependencies come from
 * the same grammar that runs the query, not from regexes.
 */
final class SqlParser {

  /** {@code query_location} of nodes the parser has no position for (an unsigned -1). */
  private static final String NO_LOCATION = "18446744073709551615";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A table in a FROM clause; {@code offset} is the UTF-8 byte offset where its name starts. */
  record Reference(String catalog, String schema, String table, String alias, int offset) {}

  /** A column qualified with schema and table ({@code core.orders.id}). */
  record QualifiedColumn(List<String> parts, int offset) {}

  record ParsedQuery(List<Reference> references, List<QualifiedColumn> qualifiedColumns,
      List<String> namedSelects, Set<String> cteNames) {

    /** Whether an unqualified reference names a CTE of the query rather than a table. */
    boolean isCte(Reference reference) {
      return reference.schema().isEmpty() && reference.catalog().isEmpty()
          && cteNames.contains(reference.table().toLowerCase(Locale.ROOT));
    }
  }

  private final Connection connection;

  SqlParser(Connection connection) {
    this.connection = connection;
  }

  ParsedQuery parse(String sql, String label) {
    JsonNode root;
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
      statement.setString(1, sql);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        root = JSON.readTree(result.getString(1));
      }
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot parse " + label + ": DuckDB failed: "
          + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw LeaException.infrastructure("Cannot parse " + label
          + ": DuckDB answered unreadable JSON: " + e.getMessage(), e);
    }
    if (root.path("error").asBoolean(false)) {
      throw parseError(sql, label, root);
    }
    JsonNode statements = root.path("statements");
    if (statements.size() != 1) {
      throw LeaException.user("Cannot parse " + label + ": it holds " + statements.size()
          + " statements. A lea script is exactly one SELECT query; move the others to their own"
          + " scripts.");
    }
    JsonNode node = statements.get(0).path("node");
    List<Reference> references = new ArrayList<>();
    List<QualifiedColumn> columns = new ArrayList<>();
    Set<String> ctes = new HashSet<>();
    walk(node, references, columns, ctes);
    return new ParsedQuery(List.copyOf(references), List.copyOf(columns), namedSelects(node),
        Set.copyOf(ctes));
  }

  private static LeaException parseError(String sql, String label, JsonNode root) {
    String message = root.path("error_message").asText("unknown error");
    if (message.startsWith("Only SELECT statements")) {
      return LeaException.user("Cannot parse " + label + ": it is not a SELECT query (DuckDB: "
          + message + "). A lea script is one SELECT query whose result becomes the table;"
          + " DuckDB cannot serialize PIVOT and UNPIVOT either, even inside a SELECT.");
    }
    String where = "";
    if (root.hasNonNull("position")) {
      int offset = Integer.parseInt(root.get("position").asText("0"));
      where = " at line " + lineOfByteOffset(sql, offset);
    }
    return LeaException.user("Cannot parse " + label + where + ": " + message
        + ". Fix the SQL and run again.");
  }

  static int lineOfByteOffset(String sql, int offset) {
    byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
    int line = 1;
    for (int i = 0; i < Math.min(offset, bytes.length); i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  private static void walk(JsonNode node, List<Reference> references,
      List<QualifiedColumn> columns, Set<String> ctes) {
    if (node.isArray()) {
      for (JsonNode child : node) {
        walk(child, references, columns, ctes);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    String type = node.path("type").asText("");
    if (type.equals("BASE_TABLE") && node.has("table_name")) {
      references.add(new Reference(node.path("catalog_name").asText(""),
          node.path("schema_name").asText(""), node.path("table_name").asText(),
          node.path("alias").asText(""), location(node)));
    } else if (type.equals("COLUMN_REF") && node.path("column_names").size() >= 3) {
      List<String> parts = new ArrayList<>();
      node.get("column_names").forEach(part -> parts.add(part.asText()));
      columns.add(new QualifiedColumn(List.copyOf(parts), location(node)));
    }
    for (JsonNode cte : node.path("cte_map").path("map")) {
      ctes.add(cte.path("key").asText().toLowerCase(Locale.ROOT));
    }
    node.elements().forEachRemaining(child -> walk(child, references, columns, ctes));
  }

  private static int location(JsonNode node) {
    String text = node.path("query_location").asText(NO_LOCATION);
    return text.equals(NO_LOCATION) ? -1 : Integer.parseInt(text);
  }

  /** The output column names, as lea's assertion tags see them; {@code *} has none. */
  private static List<String> namedSelects(JsonNode node) {
    JsonNode current = node;
    while (current.path("type").asText("").equals("SET_OPERATION_NODE")) {
      current = current.path("left");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode expression : current.path("select_list")) {
      String alias = expression.path("alias").asText("");
      if (!alias.isEmpty()) {
        names.add(alias);
      } else if (expression.path("class").asText("").equals("COLUMN_REF")) {
        JsonNode parts = expression.path("column_names");
        names.add(parts.get(parts.size() - 1).asText());
      }
    }
    return List.copyOf(names);
  }
}
