package dev.lea.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.spi.LeaException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a query with DuckDB's own parser ({@code json_serialize_sql}), so dependencies come from
 * the same grammar that runs the query, not from regexes.
 */
final class SqlParser {

  /** {@code query_location} of nodes the parser has no position for (an unsigned -1). */
  private static final String NO_LOCATION = "18446744073709551615";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How deep {@code *} is followed through CTEs and subqueries (a recursive CTE reads itself). */
  private static final int MAX_NESTING = 64;

  /**
   * A table in a FROM clause; {@code offset} is the UTF-8 byte offset where its name starts;
   * {@code scope} numbers the query (SELECT) whose FROM clause holds it.
   */
  record Reference(String catalog, String schema, String table, String alias, int offset,
      int scope) {}

  /** A column qualified with schema and table ({@code core.orders.id}). */
  record QualifiedColumn(List<String> parts, int offset) {}

  /**
   * @param scopeNames per scope, how many FROM items go by each lower-cased name (alias, else
   *     table name), to tell whether an implicit alias can be made explicit
   */
  record ParsedQuery(List<Reference> references, List<QualifiedColumn> qualifiedColumns,
      List<String> namedSelects, Set<String> cteNames,
      Map<Integer, Map<String, Integer>> scopeNames) {

    /** Whether {@code name} names exactly one FROM item of the reference's query. */
    boolean uniqueInScope(Reference reference, String name) {
      return scopeNames.getOrDefault(reference.scope(), Map.of())
          .getOrDefault(name.toLowerCase(Locale.ROOT), 0) == 1;
    }

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
    Walk walk = new Walk();
    walk.visit(node, 0);
    return new ParsedQuery(List.copyOf(walk.references), List.copyOf(walk.columns),
        namedSelects(node), Set.copyOf(walk.ctes), walk.scopeNames);
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

  /** Collects references, qualified columns, CTE names and FROM names from the parse tree. */
  private static final class Walk {
    final List<Reference> references = new ArrayList<>();
    final List<QualifiedColumn> columns = new ArrayList<>();
    final Set<String> ctes = new HashSet<>();
    final Map<Integer, Map<String, Integer>> scopeNames = new HashMap<>();
    private int scopes;

    void visit(JsonNode node, int scope) {
      if (node.isArray()) {
        for (JsonNode child : node) {
          visit(child, scope);
        }
        return;
      }
      if (!node.isObject()) {
        return;
      }
      String type = node.path("type").asText("");
      int inner = type.equals("SELECT_NODE") ? ++scopes : scope;
      if (type.equals("BASE_TABLE") && node.has("table_name")) {
        references.add(new Reference(node.path("catalog_name").asText(""),
            node.path("schema_name").asText(""), node.path("table_name").asText(),
            node.path("alias").asText(""), location(node), scope));
        name(scope, node.path("alias").asText(""), node.path("table_name").asText());
      } else if ((type.equals("SUBQUERY") || type.equals("TABLE_FUNCTION"))
          && node.has("alias")) {
        name(scope, node.path("alias").asText(""), "");
      } else if (type.equals("COLUMN_REF") && node.path("column_names").size() >= 3) {
        List<String> parts = new ArrayList<>();
        node.get("column_names").forEach(part -> parts.add(part.asText()));
        columns.add(new QualifiedColumn(List.copyOf(parts), location(node)));
      }
      for (JsonNode cte : node.path("cte_map").path("map")) {
        ctes.add(cte.path("key").asText().toLowerCase(Locale.ROOT));
      }
      node.elements().forEachRemaining(child -> visit(child, inner));
    }

    private void name(int scope, String alias, String table) {
      String name = alias.isEmpty() ? table : alias;
      if (!name.isEmpty()) {
        scopeNames.computeIfAbsent(scope, k -> new HashMap<>())
            .merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
    }
  }

  private static int location(JsonNode node) {
    String text = node.path("query_location").asText(NO_LOCATION);
    return text.equals(NO_LOCATION) ? -1 : Integer.parseInt(text);
  }

  /**
   * The output column names, as lea's assertion tags see them (lea {@code scripts.py}: sqlglot's
   * {@code named_selects} after {@code qualify}): a {@code *} over a CTE or a subquery stands for
   * its columns; a {@code *} over a table has none, since its columns are not known before it runs.
   */
  private static List<String> namedSelects(JsonNode node) {
    return outputColumns(node, new HashMap<>(), 0);
  }

  private static List<String> outputColumns(JsonNode node, Map<String, JsonNode> outerCtes,
      int depth) {
    JsonNode current = node;
    while (current.path("type").asText("").equals("SET_OPERATION_NODE")) {
      current = current.path("left");
    }
    List<String> names = new ArrayList<>();
    if (depth > MAX_NESTING) {
      return names;
    }
    Map<String, JsonNode> ctes = new HashMap<>(outerCtes);
    for (JsonNode cte : current.path("cte_map").path("map")) {
      ctes.put(cte.path("key").asText().toLowerCase(Locale.ROOT), cte.path("value"));
    }
    for (JsonNode expression : current.path("select_list")) {
      String alias = expression.path("alias").asText("");
      String kind = expression.path("class").asText("");
      if (!alias.isEmpty()) {
        names.add(alias);
      } else if (kind.equals("COLUMN_REF")) {
        JsonNode parts = expression.path("column_names");
        names.add(parts.get(parts.size() - 1).asText());
      } else if (kind.equals("STAR") && !expression.path("columns").asBoolean(false)) {
        Set<String> excluded = new HashSet<>();
        expression.path("exclude_list").forEach(e -> excluded.add(
            e.asText().toLowerCase(Locale.ROOT)));
        String relation = expression.path("relation_name").asText("");
        List<Map.Entry<String, JsonNode>> sources = new ArrayList<>();
        fromItems(current.path("from_table"), sources);
        for (Map.Entry<String, JsonNode> source : sources) {
          if (!relation.isEmpty() && !relation.equalsIgnoreCase(source.getKey())) {
            continue;
          }
          for (String column : sourceColumns(source.getValue(), ctes, depth)) {
            if (!excluded.contains(column.toLowerCase(Locale.ROOT))) {
              names.add(column);
            }
          }
        }
      }
    }
    return List.copyOf(names);
  }

  /** The FROM items of one query with the name a {@code name.*} refers to them by. */
  private static void fromItems(JsonNode from, List<Map.Entry<String, JsonNode>> items) {
    String type = from.path("type").asText("");
    if (type.equals("JOIN")) {
      fromItems(from.path("left"), items);
      fromItems(from.path("right"), items);
    } else if (!type.equals("EMPTY") && !type.isEmpty()) {
      String alias = from.path("alias").asText("");
      items.add(Map.entry(alias.isEmpty() ? from.path("table_name").asText("") : alias, from));
    }
  }

  private static List<String> sourceColumns(JsonNode from, Map<String, JsonNode> ctes,
      int depth) {
    List<String> renamed = new ArrayList<>();
    from.path("column_name_alias").forEach(name -> renamed.add(name.asText()));
    List<String> columns = List.of();
    String type = from.path("type").asText("");
    if (type.equals("SUBQUERY")) {
      columns = outputColumns(from.path("subquery").path("node"), ctes, depth + 1);
    } else if (type.equals("BASE_TABLE") && from.path("schema_name").asText("").isEmpty()
        && from.path("catalog_name").asText("").isEmpty()) {
      JsonNode cte = ctes.get(from.path("table_name").asText("").toLowerCase(Locale.ROOT));
      if (cte != null) {
        List<String> cteAliases = new ArrayList<>();
        cte.path("aliases").forEach(name -> cteAliases.add(name.asText()));
        columns = overlay(cteAliases,
            outputColumns(cte.path("query").path("node"), ctes, depth + 1));
      }
    }
    return overlay(renamed, columns);
  }

  /** {@code t(a, b)} renames the first columns of {@code t}. */
  private static List<String> overlay(List<String> renamed, List<String> columns) {
    if (renamed.isEmpty()) {
      return columns;
    }
    List<String> result = new ArrayList<>(renamed);
    if (columns.size() > renamed.size()) {
      result.addAll(columns.subList(renamed.size(), columns.size()));
    }
    return result;
  }
}
