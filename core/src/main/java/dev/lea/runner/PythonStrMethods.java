package dev.lea.runner;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's {@code str} methods for Jinjava, which otherwise resolves {@code 'x'.upper()} against
 * {@link String}'s Java methods. lea renders with Jinja2, where a template calls Python's own
 * methods ({@code ', '.join(columns)}), so the ones SQL templates use are given Python's
 * behaviour here. Listed in docs/guide.md ("Coming from lea").
 */
final class PythonStrMethods extends ELResolver {

  /** What a template may call, in the order docs/guide.md lists them. */
  static final List<String> METHODS = List.of("join", "upper", "lower", "title", "capitalize",
      "strip", "lstrip", "rstrip", "split", "replace", "startswith", "endswith", "count", "find",
      "format", "zfill", "isdigit", "isalpha", "isalnum");

  private static final Pattern FORMAT_FIELD = Pattern.compile("\\{\\{|}}|\\{([^{}]*)}");

  /**
   * A Python construct Jinjava cannot render. What to write instead is kept out of the message,
   * since Jinjava treats an exception's message as a format string and the advice may hold a
   * printf field.
   */
  static final class Unsupported extends RuntimeException {
    private final String instead;

    Unsupported(String message) {
      this(message, null);
    }

    Unsupported(String message, String instead) {
      super(message);
      this.instead = instead;
    }

    String describe() {
      return getMessage() + (instead == null ? "" : "; write " + instead + " instead");
    }
  }

  @Override
  public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes,
      Object[] params) {
    if (!(base instanceof String text) || !(method instanceof String name)
        || !METHODS.contains(name)) {
      return null;
    }
    Object[] args = params == null ? new Object[0] : params;
    Object result = call(text, name, args);
    context.setPropertyResolved(true);
    return result;
  }

  private static Object call(String text, String name, Object[] args) {
    return switch (name) {
      case "join" -> join(text, args);
      case "upper" -> text.toUpperCase(Locale.ROOT);
      case "lower" -> text.toLowerCase(Locale.ROOT);
      case "title" -> title(text);
      case "capitalize" -> text.isEmpty() ? text
          : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1)
              .toLowerCase(Locale.ROOT);
      case "strip" -> rstrip(lstrip(text, chars(args)), chars(args));
      case "lstrip" -> lstrip(text, chars(args));
      case "rstrip" -> rstrip(text, chars(args));
      case "split" -> split(text, args);
      case "replace" -> replace(text, args);
      case "startswith" -> affixes(args).stream().anyMatch(text::startsWith);
      case "endswith" -> affixes(args).stream().anyMatch(text::endsWith);
      case "count" -> count(text, string(args, 0));
      case "find" -> (long) text.indexOf(string(args, 0));
      case "format" -> format(text, args);
      case "zfill" -> zfill(text, (int) number(args, 0));
      case "isdigit" -> !text.isEmpty() && text.chars().allMatch(Character::isDigit);
      case "isalpha" -> !text.isEmpty() && text.chars().allMatch(Character::isLetter);
      case "isalnum" -> !text.isEmpty() && text.chars().allMatch(Character::isLetterOrDigit);
      default -> throw new IllegalStateException("Unhandled str method " + name);
    };
  }

  private static String join(String separator, Object[] args) {
    if (args.length != 1 || !(args[0] instanceof Iterable<?> items)) {
      throw new Unsupported("str.join() takes one list, as in Python");
    }
    List<String> parts = new ArrayList<>();
    for (Object item : items) {
      parts.add(String.valueOf(item));
    }
    return String.join(separator, parts);
  }

  private static String title(String text) {
    StringBuilder result = new StringBuilder(text.length());
    boolean previousCased = false;
    for (char c : text.toCharArray()) {
      result.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
      previousCased = Character.isLetter(c);
    }
    return result.toString();
  }

  /** The characters to strip; {@code null} for Python's default, whitespace. */
  private static String chars(Object[] args) {
    return args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
  }

  private static boolean strips(char c, String chars) {
    return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
  }

  private static String lstrip(String text, String chars) {
    int start = 0;
    while (start < text.length() && strips(text.charAt(start), chars)) {
      start++;
    }
    return text.substring(start);
  }

  private static String rstrip(String text, String chars) {
    int end = text.length();
    while (end > 0 && strips(text.charAt(end - 1), chars)) {
      end--;
    }
    return text.substring(0, end);
  }

  /** Python's split: on whitespace runs without a separator, else on it, up to maxsplit times. */
  private static List<String> split(String text, Object[] args) {
    String separator = args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
    long maxSplit = args.length > 1 ? number(args, 1) : -1;
    List<String> parts = new ArrayList<>();
    if (separator == null) {
      String rest = lstrip(text, null);
      while (!rest.isEmpty()) {
        if (maxSplit >= 0 && parts.size() == maxSplit) {
          parts.add(rest);
          return parts;
        }
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
          end++;
        }
        parts.add(rest.substring(0, end));
        rest = lstrip(rest.substring(end), null);
      }
      return parts;
    }
    if (separator.isEmpty()) {
      throw new Unsupported("str.split('') is an error in Python too (empty separator)");
    }
    int start = 0;
    int found;
    while ((maxSplit < 0 || parts.size() < maxSplit)
        && (found = text.indexOf(separator, start)) >= 0) {
      parts.add(text.substring(start, found));
      start = found + separator.length();
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static String replace(String text, Object[] args) {
    String old = string(args, 0);
    String replacement = string(args, 1);
    long count = args.length > 2 ? number(args, 2) : -1;
    if (count < 0) {
      return text.replace(old, replacement);
    }
    if (old.isEmpty()) {
      throw new Unsupported("str.replace('', ..., count) is not supported; replace a non-empty"
          + " string");
    }
    StringBuilder result = new StringBuilder();
    int start = 0;
    int found;
    for (long done = 0; done < count && (found = text.indexOf(old, start)) >= 0; done++) {
      result.append(text, start, found).append(replacement);
      start = found + old.length();
    }
    return result.append(text.substring(start)).toString();
  }

  private static List<String> affixes(Object[] args) {
    if (args.length > 0 && args[0] instanceof Iterable<?> items) {
      List<String> affixes = new ArrayList<>();
      items.forEach(item -> affixes.add(String.valueOf(item)));
      return affixes;
    }
    return List.of(string(args, 0));
  }

  private static long count(String text, String part) {
    if (part.isEmpty()) {
      return text.length() + 1L;
    }
    long count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  /** {@code {}} and {@code {0}} fields; names and format specs are refused, not guessed. */
  private static String format(String text, Object[] args) {
    Matcher matcher = FORMAT_FIELD.matcher(text);
    StringBuilder result = new StringBuilder();
    int next = 0;
    while (matcher.find()) {
      String token = matcher.group();
      String replacement;
      if (token.equals("{{")) {
        replacement = "{";
      } else if (token.equals("}}")) {
        replacement = "}";
      } else {
        String field = matcher.group(1);
        int index;
        if (field.isEmpty()) {
          index = next++;
        } else if (field.matches("\\d+")) {
          index = Integer.parseInt(field);
        } else {
          throw new Unsupported("str.format() with '" + token + "' is not supported by lea-java's"
              + " Jinja (Jinjava): only {} and {0} fields are", "'%" + width(field)
              + "s'|format(x)");
        }
        if (index >= args.length) {
          throw new Unsupported("str.format() has no argument for '" + token + "'");
        }
        replacement = String.valueOf(args[index]);
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  /** The width in a spec such as {@code :>3}, to suggest the equivalent printf field. */
  private static String width(String field) {
    Matcher digits = Pattern.compile("(\\d+)").matcher(field);
    return digits.find() ? digits.group(1) : "";
  }

  private static String zfill(String text, int width) {
    if (text.length() >= width) {
      return text;
    }
    boolean signed = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+');
    String zeros = "0".repeat(width - text.length());
    return signed ? text.charAt(0) + zeros + text.substring(1) : zeros + text;
  }

  private static String string(Object[] args, int index) {
    if (index >= args.length || args[index] == null) {
      throw new Unsupported("this str method needs " + (index + 1) + " argument(s), as in Python");
    }
    return String.valueOf(args[index]);
  }

  private static long number(Object[] args, int index) {
    if (index >= args.length || !(args[index] instanceof Number number)) {
      throw new Unsupported("this str method needs a whole number as argument " + (index + 1));
    }
    return number.longValue();
  }

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {
    // Only method calls are resolved here; properties are Jinjava's.
  }

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return true;
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return null;
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return null;
  }
}
