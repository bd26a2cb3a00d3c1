package dev.lea.runner;

import java.util.Locale;

/**
 * A table as lea names it: {@code schema.table}, the schema being the script's top folder. An empty
 * schema is a script at the root of the scripts folder, a table in DuckDB's default schema. DuckDB
 * matches identifiers case-insensitively, so equality does too.
 */
record TableName(String schema, String table) {

  static final String AUDIT_SUFFIX = "___audit";

  static TableName parse(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? new TableName("", name) : new TableName(name.substring(0, dot),
        name.substring(dot + 1));
  }

  TableName audit() {
    return new TableName(schema, table + AUDIT_SUFFIX);
  }

  boolean isTest() {
    return schema.equalsIgnoreCase("tests");
  }

  /** Quoted for SQL, so any folder or file name works. */
  String sql() {
    return schema.isEmpty() ? quote(table) : quote(schema) + "." + quote(table);
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  String key() {
    return toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TableName that && key().equals(that.key());
  }

  @Override
  public int hashCode() {
    return key().hashCode();
  }

  @Override
  public String toString() {
    return schema.isEmpty() ? table : schema + "." + table;
  }
}
