package dev.lea.config;

import dev.lea.internal.Providers;
import dev.lea.spi.LeaException;
import dev.lea.spi.Named;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Resolved, validated configuration. Immutable; {@link #with(String, String)} derives a copy.
 * Built by {@link ConfigResolver}.
 */
public final class LeaConfig {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final Path projectDirectory;
  private final Map<String, ResolvedValue> values;
  private final Map<String, String> environment;
  private final List<String> warnings;

  LeaConfig(Path projectDirectory, Map<String, ResolvedValue> values,
      Map<String, String> environment, List<String> warnings) {
    this.projectDirectory = projectDirectory;
    this.values = Map.copyOf(values);
    this.environment = Map.copyOf(environment);
    this.warnings = List.copyOf(warnings);
  }

  /** Only defaults, rooted at {@code projectDirectory}; for tests and embedding. */
  public static LeaConfig defaults(Path projectDirectory) {
    return ConfigResolver.builder().projectDirectory(projectDirectory)
        .dotEnv(projectDirectory.resolve(".env-none")).resolve();
  }

  /** The project directory: relative paths (scripts, file: URLs, seeds) resolve against it. */
  public Path projectDirectory() {
    return projectDirectory;
  }

  /**
   * The environment as scripts see it ({@code env} in Jinja): the {@code .env} file overlaid by
   * the process environment.
   */
  public Map<String, String> environment() {
    return environment;
  }

  /** The effective value, the default when unset; {@code null} when neither exists. */
  public String get(String property) {
    return resolved(property).value();
  }

  /** The effective value when it is set and not empty. */
  public Optional<String> find(String property) {
    String value = get(property);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public boolean flag(String property) {
    return find(property).map(v -> v.toLowerCase(Locale.ROOT).equals("true")).orElse(false);
  }

  public Duration duration(String property) {
    return find(property).map(ConfigResolver::parseDuration).orElse(Duration.ZERO);
  }

  public Optional<Long> integer(String property) {
    return find(property).map(Long::parseLong);
  }

  public Optional<Long> size(String property) {
    return find(property).map(ConfigResolver::parseSize);
  }

  /** A path setting resolved against the project directory ({@code ~} is the home directory). */
  public Optional<Path> path(String property) {
    return find(property).map(value -> {
      if (value.equals("~") || value.startsWith("~/")) {
        return Path.of(System.getProperty("user.home")).resolve(value.substring(
            Math.min(2, value.length())));
      }
      return projectDirectory.resolve(value).normalize();
    });
  }

  /**
   * What a front-end should print before it starts: {@code LEA_*} variables that look like a
   * mistyped setting. They are not errors, since the environment is also the templates' {@code env}.
   */
  public List<String> warnings() {
    return warnings;
  }

  public Source source(String property) {
    return resolved(property).source();
  }

  /**
   * {@code duckdb}, {@code ducklake} or {@code motherduck}, lower-cased as lea reads it; inferred
   * from the catalog keys when not set.
   */
  public String warehouse() {
    return find(LeaSettings.WAREHOUSE).map(w -> w.toLowerCase(Locale.ROOT)).orElseGet(() ->
        find(LeaSettings.CATALOG_URL).isPresent() || find(LeaSettings.CATALOG_DATABASE).isPresent()
            ? "ducklake" : "duckdb");
  }

  /** {@code lea.username} ({@code LEA_USERNAME}), else the login name, as lea does. */
  public String username() {
    String name = find(LeaSettings.USERNAME).orElse(System.getProperty("user.name", ""));
    if (!USERNAME.matcher(name).matches()) {
      throw LeaException.user("Cannot use '" + name + "' as the dev environment suffix: it"
          + " must be letters, digits, '_', '-' or '.'. Set " + LeaSettings.USERNAME
          + " (LEA_USERNAME).");
    }
    return name;
  }

  /**
   * The one of {@code candidates} that a {@link Setting.Type#PROVIDER} setting names; any other
   * name is a user error listing theirs. The caller passes the candidates (its registry's built-ins
   * and what {@link Providers} finds) so this layer needs none of the SPIs.
   */
  public <T extends Named> T provider(String property, List<T> candidates) {
    ResolvedValue value = resolved(property);
    String name = value.value() == null ? "" : value.value();
    TreeSet<String> names = new TreeSet<>();
    for (T candidate : candidates) {
      if (candidate.name().equals(name)) {
        return candidate;
      }
      names.add(candidate.name());
    }
    throw ConfigResolver.invalid(value, "valid values: " + String.join(", ", names));
  }

  /** Every setting with its value and source, secrets masked by {@link ResolvedValue#display()}. */
  public List<ResolvedValue> describe() {
    List<ResolvedValue> result = new ArrayList<>();
    for (Setting setting : LeaSettings.all()) {
      result.add(values.get(setting.property()));
    }
    return result;
  }

  /** A copy with one value replaced, as explicit configuration; validated. */
  public LeaConfig with(String property, String value) {
    ResolvedValue current = resolved(property);
    ResolvedValue replaced = new ResolvedValue(current.setting(), value, Source.CONFIGURATION);
    ConfigResolver.validate(replaced);
    Map<String, ResolvedValue> copy = new LinkedHashMap<>(values);
    copy.put(property, replaced);
    return new LeaConfig(projectDirectory, copy, environment, warnings);
  }

  /**
   * A copy with one value rewritten from the current one (e.g. lea's dev suffix), keeping the
   * source the user gave it so status output still says where it came from.
   */
  public LeaConfig derive(String property, String value) {
    ResolvedValue current = resolved(property);
    ResolvedValue replaced = new ResolvedValue(current.setting(), value, current.source());
    ConfigResolver.validate(replaced);
    Map<String, ResolvedValue> copy = new LinkedHashMap<>(values);
    copy.put(property, replaced);
    return new LeaConfig(projectDirectory, copy, environment, warnings);
  }

  /** The values of secret settings, for scrubbing them out of any text before it is printed. */
  public List<String> secretValues() {
    List<String> secrets = new ArrayList<>();
    for (ResolvedValue value : values.values()) {
      if (value.setting().secret() && value.value() != null && !value.value().isBlank()) {
        secrets.add(value.value());
      }
    }
    return secrets;
  }

  private ResolvedValue resolved(String property) {
    ResolvedValue value = values.get(property);
    if (value == null) {
      throw new IllegalArgumentException("Unknown setting " + property);
    }
    return value;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("LeaConfig{");
    for (ResolvedValue value : describe()) {
      if (value.source() != Source.DEFAULT) {
        text.append(value.setting().property()).append('=').append(value.display()).append(", ");
      }
    }
    return text.append('}').toString();
  }
}
