package dev.lea.config;

import dev.lea.spi.LeaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .env} file as lea (python-dotenv) does: {@code KEY=value} lines, {@code #}
 * comments, optional {@code export}, single or double quotes.
 */
final class DotEnv {

  private DotEnv() {}

  static Map<String, String> read(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return values;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LeaException.user("Cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw LeaException.user("Cannot read " + file + ": line " + (i + 1)
            + " is not KEY=value. Fix or remove that line.");
      }
      String key = line.substring(0, eq).strip();
      values.put(key, unquote(line.substring(eq + 1).strip()));
    }
    return values;
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      char last = value.charAt(value.length() - 1);
      if ((first == '"' || first == '\'') && first == last) {
        String inner = value.substring(1, value.length() - 1);
        return first == '"' ? inner.replace("\\n", "\n").replace("\\\"", "\"") : inner;
      }
    }
    int comment = value.indexOf(" #");
    return comment >= 0 ? value.substring(0, comment).strip() : value;
  }
}
