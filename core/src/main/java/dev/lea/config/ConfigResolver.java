package dev.lea.config;

import dev.lea.spi.LeaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place configuration is read. Precedence, lowest first: built-in defaults, the
 * project's {@code .env}, the environment ({@code LEA_*}), explicit configuration (the Maven
 * plugin's {@code <configuration>}), system properties ({@code -Dlea.*}). Every value is validated
 * here, before any network call.
 */
public final class ConfigResolver {

  private Path projectDirectory = Path.of("").toAbsolutePath();
  private Path dotEnvFile;
  private Map<String, String> environment = Map.of();
  private Map<String, String> configuration = Map.of();
  private Map<String, String> systemProperties = Map.of();
  private Set<String> acceptedKeys = Set.of();

  private ConfigResolver() {}

  /** A resolver that reads nothing until told; use {@link #fromProcess(Path)} for the usual set. */
  public static ConfigResolver builder() {
    return new ConfigResolver();
  }

  /** The process environment and system properties, with {@code projectDirectory/.env}. */
  public static ConfigResolver fromProcess(Path projectDirectory) {
    return builder()
        .projectDirectory(projectDirectory)
        .environment(System.getenv())
        .systemProperties(System.getProperties());
  }

  public ConfigResolver projectDirectory(Path directory) {
    this.projectDirectory = directory.toAbsolutePath().normalize();
    return this;
  }

  /** The {@code .env} file; default {@code <projectDirectory>/.env}. */
  public ConfigResolver dotEnv(Path file) {
    this.dotEnvFile = file;
    return this;
  }

  public ConfigResolver environment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /** Explicit values by property name ({@code lea.ducklake.lock}), e.g. from a build file. */
  public ConfigResolver configuration(Map<String, String> configuration) {
    Map<String, String> copy = new LinkedHashMap<>();
    configuration.forEach((k, v) -> {
      if (v != null) {
        copy.put(k, v);
      }
    });
    this.configuration = copy;
    return this;
  }

  public ConfigResolver systemProperties(Properties properties) {
    Map<String, String> copy = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("lea.")) {
        copy.put(name, properties.getProperty(name));
      }
    }
    this.systemProperties = copy;
    return this;
  }

  public ConfigResolver systemProperties(Map<String, String> properties) {
    Map<String, String> copy = new LinkedHashMap<>();
    properties.forEach((name, value) -> {
      if (name.startsWith("lea.")) {
        copy.put(name, value);
      }
    });
    this.systemProperties = copy;
    return this;
  }

  /**
   * Property names the front-end handles itself (the Maven goals' {@code lea.skip}), accepted
   * beside the settings; every other unknown {@code lea.*} property is an error.
   */
  public ConfigResolver acceptedKeys(Set<String> keys) {
    this.acceptedKeys = Set.copyOf(keys);
    return this;
  }

  /** Resolves and validates; fails with a user error naming the key, value and valid values. */
  public LeaConfig resolve() {
    Map<String, String> dotEnv = DotEnv.read(dotEnvFile());
    Map<String, String> mergedEnvironment = new LinkedHashMap<>(dotEnv);
    mergedEnvironment.putAll(environment);

    Map<String, ResolvedValue> values = new LinkedHashMap<>();
    for (Setting setting : LeaSettings.all()) {
      values.put(setting.property(),
          new ResolvedValue(setting, setting.defaultValue(), Source.DEFAULT));
    }
    List<String> warnings = new ArrayList<>();
    applyEnvironment(values, dotEnv, Source.DOTENV, warnings);
    applyEnvironment(values, environment, Source.ENVIRONMENT, warnings);
    applyProperties(values, configuration, Source.CONFIGURATION);
    applyProperties(values, systemProperties, Source.SYSTEM_PROPERTY);
    for (ResolvedValue value : values.values()) {
      if (value.source() != Source.DEFAULT) {
        validate(value);
      }
    }
    return new LeaConfig(projectDirectory, values, mergedEnvironment, warnings);
  }

  /**
   * {@code lea.envFile} (lea's {@code --env-file}) when given, which must exist, as lea's click
   * option checks; else the file set by {@link #dotEnv(Path)}, else the project's {@code .env}.
   * It is looked up before the {@code .env} is read, so only the environment, the configuration
   * and {@code -D} can set it.
   */
  private Path dotEnvFile() {
    String key = LeaSettings.ENV_FILE;
    String env = LeaSettings.byProperty(key).environmentName();
    Source source = systemProperties.containsKey(key) ? Source.SYSTEM_PROPERTY
        : configuration.containsKey(key) ? Source.CONFIGURATION
        : environment.containsKey(env) ? Source.ENVIRONMENT : null;
    if (source == null) {
      return dotEnvFile != null ? dotEnvFile : projectDirectory.resolve(".env");
    }
    String value = switch (source) {
      case SYSTEM_PROPERTY -> systemProperties.get(key);
      case CONFIGURATION -> configuration.get(key);
      default -> environment.get(env);
    };
    Path file = projectDirectory.resolve(value.trim()).normalize();
    if (!Files.isRegularFile(file)) {
      throw LeaException.user("Cannot read the env file " + file + " named by " + key + " ("
          + env + ", from " + source.label() + "): no such file. Give a path relative to the"
          + " project directory " + projectDirectory + ", or leave " + key + " unset to read"
          + " its .env.");
    }
    return file;
  }

  private static void applyEnvironment(Map<String, ResolvedValue> values,
      Map<String, String> source, Source kind, List<String> warnings) {
    List<String> known = LeaSettings.all().stream().map(Setting::environmentName).toList();
    source.forEach((name, value) -> {
      Setting setting = LeaSettings.byEnvironmentName(name);
      if (setting != null) {
        values.put(setting.property(), new ResolvedValue(setting, value, kind));
      } else {
        LeaSpellings.explainUnknownVariable(name, kind, known).ifPresent(warnings::add);
      }
    });
  }

  private void applyProperties(
      Map<String, ResolvedValue> values, Map<String, String> source, Source kind) {
    source.forEach((name, value) -> {
      Setting setting = LeaSettings.byProperty(name);
      if (setting != null) {
        values.put(name, new ResolvedValue(setting, value, kind));
      } else if (!acceptedKeys.contains(name)) {
        Set<String> known = new TreeSet<>(acceptedKeys);
        LeaSettings.all().forEach(s -> known.add(s.property()));
        throw LeaException.user("Cannot resolve configuration: "
            + LeaSpellings.explainUnknownProperty(name, kind, known));
      }
    });
  }

  static void validate(ResolvedValue resolved) {
    Setting setting = resolved.setting();
    String value = resolved.value();
    if (value == null || (value.isEmpty() && setting.type() != Setting.Type.CHOICE)) {
      return;
    }
    switch (setting.type()) {
      case CHOICE -> {
        // lea lower-cases LEA_WAREHOUSE before reading it.
        String chosen = setting.property().equals(LeaSettings.WAREHOUSE)
            ? value.toLowerCase(Locale.ROOT) : value;
        if (!value.isEmpty() && !setting.allowed().contains(chosen)) {
          String hint = setting.property().equals(LeaSettings.WAREHOUSE)
              ? LeaSpellings.unsupportedWarehouse(value).orElse("") : "";
          throw invalid(resolved, "valid values: " + String.join(", ", setting.allowed()) + "."
              + hint);
        }
      }
      case BOOLEAN -> {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
          throw invalid(resolved, "valid values: true, false");
        }
      }
      case DURATION -> {
        LeaSettings.DurationRange range = LeaSettings.durationRange(setting.property());
        String expected = "expected a duration from " + format(range.min()) + " to "
            + format(range.max()) + ", such as PT2M, 90s, 5m or 1h";
        Duration duration;
        try {
          duration = parseDuration(value);
        } catch (IllegalArgumentException e) {
          throw invalid(resolved, expected);
        }
        if (!range.contains(duration)) {
          throw invalid(resolved, expected);
        }
      }
      case INTEGER -> {
        Optional<Long> minimum = LeaSettings.integerMinimum(setting.property());
        String expected = "expected a whole number"
            + minimum.map(min -> " of at least " + min).orElse("");
        long number;
        try {
          number = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          throw invalid(resolved, expected);
        }
        if (minimum.isPresent() && number < minimum.get()) {
          throw invalid(resolved, expected);
        }
      }
      case SIZE -> {
        try {
          parseSize(value);
        } catch (IllegalArgumentException e) {
          throw invalid(resolved, "expected a size such as 1048576, 64KiB, 8MiB or 1GiB");
        }
      }
      // A PROVIDER names an implementation the layer that uses it looks up: LeaConfig#provider.
      case STRING, PROVIDER -> { }
      default -> throw new IllegalStateException("Unhandled type " + setting.type());
    }
  }

  static LeaException invalid(ResolvedValue resolved, String valid) {
    Setting setting = resolved.setting();
    String shown = setting.secret() ? "****" : "'" + resolved.value() + "'";
    return LeaException.user("Cannot use " + shown + " for " + setting.property() + " ("
        + setting.environmentName() + ", from " + resolved.source().label() + "): " + valid
        + (valid.endsWith(".") ? "" : "."));
  }

  /** Whole days as {@code P7D}, which reads better than Java's {@code PT168H}. */
  static String format(Duration duration) {
    return !duration.isZero() && duration.equals(Duration.ofDays(duration.toDays()))
        ? "P" + duration.toDays() + "D" : duration.toString();
  }

  /** ISO-8601 ({@code PT2M}) or a number with a unit: {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h}. */
  public static Duration parseDuration(String text) {
    String value = text.trim();
    if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(text, e);
      }
    }
    String lower = value.toLowerCase(Locale.ROOT);
    try {
      if (lower.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2).trim()));
      }
      long amount = Long.parseLong(lower.substring(0, lower.length() - 1).trim());
      return switch (lower.charAt(lower.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> throw new IllegalArgumentException(text);
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** Bytes, or a number with KiB/MiB/GiB (also KB/MB/GB, read as binary units). */
  static long parseSize(String text) {
    String value = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
    long multiplier = 1;
    String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
        {"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}, {"B", "1"}};
    for (String[] unit : units) {
      if (value.endsWith(unit[0])) {
        multiplier = Long.parseLong(unit[1]);
        value = value.substring(0, value.length() - unit[0].length());
        break;
      }
    }
    try {
      long amount = Long.parseLong(value);
      if (amount < 0) {
        throw new IllegalArgumentException(text);
      }
      return Math.multiplyExact(amount, multiplier);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
