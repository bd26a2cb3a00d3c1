package dev.lea.runner;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Replaces table names in a query at the byte positions DuckDB's parser reported. Only the name is
 * touched; comments, literals and line breaks stay where they were, so line numbers in DuckDB's
 * errors still point at the script's own lines.
 */
final class Rewriter {

  /** Replace the first {@code parts} identifiers of the dotted name at {@code offset}. */
  record Edit(int offset, int parts, String expectedLast, String replacement) {}

  private Rewriter() {}

  static String apply(String sql, List<Edit> edits) {
    byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::offset));
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 64 * edits.size());
    int copied = 0;
    for (Edit edit : sorted) {
      if (edit.offset() < copied) {
        throw new IllegalStateException("overlapping rewrite at byte " + edit.offset());
      }
      int[] span = span(bytes, edit.offset(), edit.parts());
      String last = unquote(new String(bytes, span[2], span[1] - span[2], StandardCharsets.UTF_8));
      if (!last.toLowerCase(Locale.ROOT).equals(edit.expectedLast().toLowerCase(Locale.ROOT))) {
        throw new IllegalStateException("expected '" + edit.expectedLast() + "' at byte "
            + edit.offset() + " but found '" + last + "'");
      }
      out.write(bytes, copied, edit.offset() - copied);
      out.writeBytes(edit.replacement().getBytes(StandardCharsets.UTF_8));
      copied = span[1];
    }
    out.write(bytes, copied, bytes.length - copied);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {start, end, start of the last part} of {@code parts} dotted identifiers at {@code offset}. */
  private static int[] span(byte[] bytes, int offset, int parts) {
    int position = offset;
    int lastStart = offset;
    for (int part = 0; part < parts; part++) {
      if (part > 0) {
        position = skipSpace(bytes, position);
        if (position >= bytes.length || bytes[position] != '.') {
          throw new IllegalStateException("expected a dotted name at byte " + offset);
        }
        position = skipSpace(bytes, position + 1);
      }
      lastStart = position;
      position = identifierEnd(bytes, position);
      if (position == lastStart) {
        throw new IllegalStateException("expected an identifier at byte " + lastStart);
      }
    }
    return new int[] {offset, position, lastStart};
  }

  private static int skipSpace(byte[] bytes, int position) {
    while (position < bytes.length && Character.isWhitespace(bytes[position])) {
      position++;
    }
    return position;
  }

  private static int identifierEnd(byte[] bytes, int position) {
    if (position < bytes.length && bytes[position] == '"') {
      int i = position + 1;
      while (i < bytes.length) {
        if (bytes[i] == '"') {
          if (i + 1 < bytes.length && bytes[i + 1] == '"') {
            i += 2;
            continue;
          }
          return i + 1;
        }
        i++;
      }
      return i;
    }
    int i = position;
    while (i < bytes.length && (bytes[i] < 0 || bytes[i] == '_' || bytes[i] == '$'
        || Character.isLetterOrDigit(bytes[i]))) {
      i++;
    }
    return i;
  }

  private static String unquote(String identifier) {
    if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
      return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
    }
    return identifier;
  }
}
