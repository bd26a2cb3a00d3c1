package dev.lea.runner;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns DuckDB's error text into a message that points at the script's own line. */
final class SqlErrors {

  private static final Pattern LINE = Pattern.compile("\\s*LINE (\\d+):.*", Pattern.DOTALL);
  private static final Pattern LINE_NUMBER = Pattern.compile("LINE (\\d+):");
  // The JDBC driver wraps some errors in this; the cause follows "Error: ".
  private static final String WRAPPER =
      "Attempting to execute an unsuccessful or closed pending query result";

  // A DuckDB function written in Java that throws fails the query with the exception's toString()
  // and its stack trace; the reason is the exception's message.
  private static final Pattern JAVA_FRAME =
      Pattern.compile("\\R\\s*(?:at [\\w$.<>/]+\\([^)\\r\\n]*\\)|\\.\\.\\. \\d+ more)");
  private static final Pattern JAVA_CLASS =
      Pattern.compile("(?<=^|: )(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*: ");

  private SqlErrors() {}

  /**
   * @param lineOffset lines the runner put in front of the script's first line
   */
  static String describe(String duckdbMessage, Node node, int lineOffset) {
    String message = duckdbMessage == null ? "unknown error" : duckdbMessage;
    int wrapped = message.indexOf(WRAPPER);
    if (wrapped >= 0) {
      int cause = message.indexOf("Error: ", wrapped);
      if (cause >= 0) {
        message = message.substring(cause + "Error: ".length());
      }
    }
    Matcher frame = JAVA_FRAME.matcher(message);
    if (frame.find()) {
      message = JAVA_CLASS.matcher(frame.replaceAll("")).replaceAll("");
    }
    String where = node.label();
    Matcher number = LINE_NUMBER.matcher(message);
    if (number.find()) {
      int line = Integer.parseInt(number.group(1)) - lineOffset;
      message = LINE.matcher(message).replaceFirst("");
      String text = node.lineOf(line);
      where = (node.templated() ? "line " + line + " of the rendered " + node.label()
          : node.label() + " line " + line) + (text.isEmpty() ? "" : ": " + text);
    }
    return message.strip().replaceAll("\\s*\\n\\s*", " ") + " [" + where + "]";
  }
}
