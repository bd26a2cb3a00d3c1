package dev.lea;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.config.ResolvedValue;
import dev.lea.config.Setting;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in every text lea prints or throws: {@link Lea} wraps the reporter it is given and
 * the exceptions it throws with one. Known secrets are masked wherever they appear, and two shapes
 * of credentials are masked whatever their value.
 *
 * <p>Known secrets: the values of secret settings (and each quoted literal inside them that follows
 * a credential-like name, such as {@code SECRET 'x'}, since a script may render a
 * {@code CREATE SECRET} body apart); the passwords of URL user-info and of
 * {@code password=} pairs in any setting or environment value; and environment values whose name
 * says they are credentials (a word such as {@code SECRET}, {@code TOKEN}, {@code PASSWORD},
 * {@code KEY}). Environment values shorter than {@value #MIN_ENVIRONMENT_SECRET} characters are
 * not masked, nor names ending in {@code _FILE}, {@code _PATH} or {@code _DIR}, nor {@code PWD}:
 * they are flags, paths and small numbers that would mask ordinary words in every message.
 *
 * <p>Shapes masked anywhere: the user-info of a URL ({@code s3://****@bucket/…}) and the value of
 * a {@code password=} pair.
 */
public final class Scrubber {

  public static final String MASK = "****";
  static final int MIN_ENVIRONMENT_SECRET = 8;
  private static final int MIN_LITERAL = 4;

  private static final Pattern USER_INFO =
      Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#\\s@'\"]+)@");
  private static final Pattern PASSWORD_PAIR = Pattern.compile(
      "(?i)\\b(password|passwd|pwd)(\\s*=\\s*)('[^']*'|\"[^\"]*\"|[^\\s;,'\"]+)");
  /** A quoted value and the name before it: {@code SECRET 'x'}, {@code s3_secret_access_key='x'}. */
  private static final Pattern NAMED_LITERAL = Pattern.compile(
      "([A-Za-z_][A-Za-z0-9_]*)\\s*=?\\s*(?:'([^']*)'|\"([^\"]*)\")");
  private static final Pattern NAME_WORDS = Pattern.compile("[_.\\-]+");
  private static final Set<String> CREDENTIAL_WORDS = Set.of("SECRET", "SECRETS", "TOKEN",
      "TOKENS", "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PASSPHRASE", "PWD", "KEY", "KEYS",
      "APIKEY", "CREDENTIAL", "CREDENTIALS");
  private static final List<String> CREDENTIAL_ENDINGS =
      List.of("SECRET", "TOKEN", "PASSWORD", "APIKEY");
  private static final Set<String> NOT_SECRET_LAST_WORDS = Set.of("FILE", "PATH", "DIR");
  private static final Set<String> NOT_SECRET_NAMES = Set.of("PWD", "OLDPWD");

  private final List<String> secrets;

  private Scrubber(Collection<String> secrets) {
    this.secrets = secrets.stream().distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** The scrubber of a run: secret settings, credential-like environment, URL user-info. */
  public static Scrubber of(LeaConfig config) {
    Set<String> secrets = new LinkedHashSet<>();
    config.secretValues().forEach(value -> addSettingSecret(secrets, value));
    for (ResolvedValue value : config.describe()) {
      addEmbedded(secrets, value.value());
    }
    addEnvironment(secrets, config.environment());
    return new Scrubber(secrets);
  }

  /**
   * The scrubber for when configuration could not be resolved: the raw environment and the raw
   * {@code lea.*} values as given.
   */
  public static Scrubber of(Map<String, String> environment, Map<String, String> settings) {
    Set<String> secrets = new LinkedHashSet<>();
    settings.forEach((property, value) -> {
      Setting setting = LeaSettings.byProperty(property);
      if (setting != null && setting.secret()) {
        addSettingSecret(secrets, value);
      }
      addEmbedded(secrets, value);
    });
    addEnvironment(secrets, environment);
    return new Scrubber(secrets);
  }

  /** Only the shapes masked anywhere (URL user-info, {@code password=}); no known secrets. */
  public static Scrubber shapes() {
    return new Scrubber(List.of());
  }

  /** {@code text} with every secret masked; null stays null. */
  public String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    out = USER_INFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
        m.group(2).equals(MASK) ? m.group() : m.group(1) + MASK + "@"));
    return PASSWORD_PAIR.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1) + m.group(2) + MASK));
  }

  /** A reporter that prints through {@code reporter} with every message scrubbed. */
  public Reporter wrap(Reporter reporter) {
    return new Reporter() {
      @Override
      public void info(String message) {
        reporter.info(scrub(message));
      }

      @Override
      public void warn(String message) {
        reporter.warn(scrub(message));
      }

      @Override
      public void debug(String message) {
        reporter.debug(scrub(message));
      }

      @Override
      public void progress(String line) {
        reporter.progress(scrub(line));
      }

      @Override
      public void progressDone() {
        reporter.progressDone();
      }

      @Override
      public boolean updatesInPlace() {
        return reporter.updatesInPlace();
      }
    };
  }

  /** Runs {@code work}; an exception it throws leaves with every message in its chain scrubbed. */
  public <T> T guard(Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw scrub(e);
    }
  }

  /**
   * {@code e} itself when no message in its chain (causes, suppressed) holds a secret; otherwise a
   * copy with the same kind, messages scrubbed and the original stack traces. A copy of a
   * {@link LeaException} is a {@link LeaException}; any other is a {@link RuntimeException} whose
   * message starts with the original class name.
   */
  public RuntimeException scrub(RuntimeException e) {
    if (!needsScrubbing(e, new IdentityHashMap<>())) {
      return e;
    }
    return (RuntimeException) copy(e, new IdentityHashMap<>());
  }

  private boolean needsScrubbing(Throwable t, Map<Throwable, Boolean> seen) {
    if (t == null || seen.put(t, true) != null) {
      return false;
    }
    String message = t.getMessage();
    if (message != null && !message.equals(scrub(message))) {
      return true;
    }
    for (Throwable suppressed : t.getSuppressed()) {
      if (needsScrubbing(suppressed, seen)) {
        return true;
      }
    }
    return needsScrubbing(t.getCause(), seen);
  }

  private Throwable copy(Throwable t, Map<Throwable, Throwable> copies) {
    if (t == null) {
      return null;
    }
    Throwable done = copies.get(t);
    if (done != null) {
      return done;
    }
    Throwable cause = t.getCause() == t ? null : t.getCause();
    Throwable copy;
    if (t instanceof LeaException lea) {
      copy = new LeaException(lea.kind(), scrub(lea.getMessage()));
    } else {
      String message = t.getMessage() == null ? t.getClass().getName()
          : t.getClass().getName() + ": " + scrub(t.getMessage());
      copy = new ScrubbedException(message);
    }
    copies.put(t, copy);
    Throwable causeCopy = copy(cause, copies);
    if (causeCopy != null) {
      copy.initCause(causeCopy);
    }
    copy.setStackTrace(t.getStackTrace());
    for (Throwable suppressed : t.getSuppressed()) {
      copy.addSuppressed(copy(suppressed, copies));
    }
    return copy;
  }

  private static void addSettingSecret(Set<String> secrets, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    add(secrets, value.trim(), MIN_LITERAL);
    Matcher literal = NAMED_LITERAL.matcher(value);
    while (literal.find()) {
      String name = literal.group(1).toUpperCase(Locale.ROOT);
      if (isCredentialName(name) || name.contains("CONNECTION_STRING")) {
        add(secrets, literal.group(2) != null ? literal.group(2) : literal.group(3), MIN_LITERAL);
      }
    }
  }

  /** Passwords inside a value: URL user-info and {@code password=} pairs. */
  private static void addEmbedded(Set<String> secrets, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    Matcher url = USER_INFO.matcher(value);
    while (url.find()) {
      String userInfo = url.group(2);
      int colon = userInfo.indexOf(':');
      add(secrets, colon < 0 ? userInfo : userInfo.substring(colon + 1),
          colon < 0 ? MIN_ENVIRONMENT_SECRET : MIN_LITERAL);
    }
    Matcher pair = PASSWORD_PAIR.matcher(value);
    while (pair.find()) {
      add(secrets, unquote(pair.group(3)), MIN_LITERAL);
    }
  }

  private static void addEnvironment(Set<String> secrets, Map<String, String> environment) {
    environment.forEach((name, value) -> {
      Setting setting = LeaSettings.byEnvironmentName(name);
      if (setting != null && setting.secret()) {
        addSettingSecret(secrets, value);
      } else if (isCredentialName(name) && value != null) {
        add(secrets, value.trim(), MIN_ENVIRONMENT_SECRET);
      }
      addEmbedded(secrets, value);
    });
  }

  static boolean isCredentialName(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (NOT_SECRET_NAMES.contains(upper)) {
      return false;
    }
    String[] words = NAME_WORDS.split(upper);
    if (words.length == 0 || NOT_SECRET_LAST_WORDS.contains(words[words.length - 1])) {
      return false;
    }
    for (String word : words) {
      if (CREDENTIAL_WORDS.contains(word)
          || CREDENTIAL_ENDINGS.stream().anyMatch(word::endsWith)) {
        return true;
      }
    }
    return false;
  }

  private static void add(Set<String> secrets, String secret, int minLength) {
    if (secret == null || secret.length() < minLength || secret.equals(MASK)) {
      return;
    }
    secrets.add(secret);
    String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    if (!encoded.equals(secret)) {
      secrets.add(encoded);
    }
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("'") || value.startsWith("\""))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /** A non-lea exception whose message held a secret; prints as the original class did. */
  static final class ScrubbedException extends RuntimeException {

    ScrubbedException(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
