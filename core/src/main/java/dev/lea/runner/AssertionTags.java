package dev.lea.runner;

import dev.lea.spi.LeaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lea's assertion tags: {@code -- #TAG} comment lines directly above a selected column. Like lea
 * ({@code comment.py}), a block of adjacent comment lines anywhere in the script, CTEs included,
 * belongs to the output column that ends the line right below it. Unlike lea, a tag that belongs
 * to no output column is an error rather than silently ignored.
 */
final class AssertionTags {

  enum Kind {
    NO_NULLS, UNIQUE, UNIQUE_BY, SET,
    /** Marks the incremental field; not a test. */
    INCREMENTAL,
    /** A BigQuery clustering hint in lea; accepted and ignored on DuckDB. */
    CLUSTERING_FIELD
  }

  record Tag(String column, Kind kind, String argument, int line) {

    boolean isTest() {
      return kind != Kind.INCREMENTAL && kind != Kind.CLUSTERING_FIELD;
    }
  }

  private static final Pattern TAG_WORD = Pattern.compile("#([A-Z_]+)");
  private static final Pattern UNIQUE_BY = Pattern.compile("#UNIQUE_BY\\((?<by>.+)\\)");
  private static final Pattern SET =
      Pattern.compile("#SET\\{(?<elements>'[^']+'(?:,\\s*'[^']+')*)\\}");
  private static final Pattern TRAILING_IDENTIFIER =
      Pattern.compile("(?:^|[^A-Za-z0-9_\"])(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_]*)$");
  private static final String VALID = "#NO_NULLS, #UNIQUE, #UNIQUE_BY(<column>), "
      + "#SET{'a', 'b'}, #INCREMENTAL";

  private AssertionTags() {}

  static List<Tag> extract(String sql, List<String> namedSelects, String label) {
    String[] lines = sql.split("\r?\n", -1);
    List<Tag> tags = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      if (!isComment(lines[i])) {
        i++;
        continue;
      }
      int first = i;
      while (i < lines.length && isComment(lines[i])) {
        i++;
      }
      String column = i < lines.length ? trailingSelectedColumn(lines[i], namedSelects) : null;
      if (column == null) {
        for (int line = first; line < i; line++) {
          String text = lines[line].replace("--", "").strip();
          if (isTag(text)) {
            throw LeaException.user("Cannot attach the assertion tag '" + text + "' in " + label
                + " at line " + (line + 1) + ": the line below its comment block does not end"
                + " with a column of the script's output (" + (namedSelects.isEmpty()
                    ? "none is known before it runs" : String.join(", ", namedSelects))
                + "). Put the tag on the line directly above the selected column, e.g. '-- "
                + text + "' above 'amount AS total,'. lea would ignore it silently.");
          }
        }
        continue;
      }
      for (int line = first; line < i; line++) {
        String text = lines[line].replace("--", "").strip();
        if (text.startsWith("#")) {
          tags.add(parse(text, column, line + 1, label));
        }
      }
    }
    return tags;
  }

  /** A comment that names one of lea's tags, attached or not (a plain {@code #note} is not). */
  private static boolean isTag(String text) {
    Matcher word = TAG_WORD.matcher(text);
    if (!word.lookingAt()) {
      return false;
    }
    for (Kind kind : Kind.values()) {
      if (kind.name().equals(word.group(1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isComment(String line) {
    return line.strip().startsWith("--");
  }

  private static String trailingSelectedColumn(String line, List<String> namedSelects) {
    String code = line;
    int comment = code.indexOf("--");
    if (comment >= 0) {
      code = code.substring(0, comment);
    }
    code = code.strip();
    while (code.endsWith(",")) {
      code = code.substring(0, code.length() - 1).strip();
    }
    Matcher matcher = TRAILING_IDENTIFIER.matcher(code);
    if (!matcher.find()) {
      return null;
    }
    String identifier = matcher.group(1);
    if (identifier.startsWith("\"")) {
      identifier = identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
    }
    for (String name : namedSelects) {
      if (name.equalsIgnoreCase(identifier)) {
        return name;
      }
    }
    return null;
  }

  private static Tag parse(String text, String column, int line, String label) {
    switch (text) {
      case "#NO_NULLS":
        return new Tag(column, Kind.NO_NULLS, null, line);
      case "#UNIQUE":
        return new Tag(column, Kind.UNIQUE, null, line);
      case "#INCREMENTAL":
        return new Tag(column, Kind.INCREMENTAL, null, line);
      case "#CLUSTERING_FIELD":
        return new Tag(column, Kind.CLUSTERING_FIELD, null, line);
      default:
        break;
    }
    Matcher uniqueBy = UNIQUE_BY.matcher(text);
    if (uniqueBy.matches()) {
      return new Tag(column, Kind.UNIQUE_BY, uniqueBy.group("by").strip(), line);
    }
    Matcher set = SET.matcher(text);
    if (set.matches()) {
      return new Tag(column, Kind.SET, set.group("elements"), line);
    }
    throw LeaException.user("Cannot read the assertion tag '" + text + "' on column " + column
        + " in " + label + " at line " + line + ": unknown tag. Valid tags: " + VALID + ".");
  }

  /** lea's name: {@code tests.<schema>__<table>__<column>___<tag>}. */
  static TableName testName(TableName table, Tag tag) {
    return new TableName("tests", table.schema() + "__" + table.table() + "__" + tag.column()
        + "___" + tag.kind().name().toLowerCase(Locale.ROOT));
  }

  /** A query that returns the offending rows; written against the table's plain name. */
  static String testSql(TableName table, Tag tag) {
    String column = TableName.quote(tag.column());
    String from = " FROM " + table.sql();
    switch (tag.kind()) {
      case NO_NULLS:
        return "SELECT " + column + from + " WHERE " + column + " IS NULL";
      case UNIQUE:
        return "SELECT " + column + ", COUNT(*) AS n" + from + " GROUP BY " + column
            + " HAVING COUNT(*) > 1";
      case UNIQUE_BY:
        return "SELECT " + tag.argument() + ", COUNT(*) AS n, COUNT(DISTINCT " + column
            + ") AS n_distinct" + from + " GROUP BY " + tag.argument()
            + " HAVING COUNT(*) != COUNT(DISTINCT " + column + ")";
      case SET:
        return "SELECT DISTINCT " + column + from + " WHERE " + column + " NOT IN ("
            + tag.argument() + ")";
      default:
        throw new IllegalArgumentException(tag.kind() + " is not a test");
    }
  }
}
