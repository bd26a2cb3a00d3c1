package dev.lea.config;

import dev.lea.internal.EditDistance;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What lea v0.19.1 calls things, so a lea user's habits lead to the right lea-java key: its
 * {@code lea run} options ({@code lea/cli.py}) and the {@code LEA_*} variables it reads
 * ({@code lea/conductor.py}, {@code lea/cli.py}).
 */
final class LeaSpellings {

  private LeaSpellings() {}

  /** lea's {@code lea run} options whose lea-java property differs only in spelling. */
  private static final Set<String> LEA_OPTIONS = Set.of("dry-run", "env-file");

  /** lea's {@code lea run} options that lea-java does not offer, by their letters. */
  private static final Map<String, String> UNSUPPORTED_OPTIONS = Map.of(
      "quack", "--quack",
      "quackpush", "--quack-push");

  /**
   * Variables lea itself reads that are not lea-java settings: BigQuery's and quack mode's. A
   * project's .env may well hold them; they are not mistakes.
   */
  private static final Set<String> LEA_ONLY_PREFIXES = Set.of("LEA_BQ_", "LEA_QUACK_");

  /**
   * Why {@code key} is not a setting, naming the one meant: lea's spelling of an option
   * ({@code lea.dry-run}), a lea option lea-java lacks ({@code lea.quack}), or a typo.
   */
  static String explainUnknownProperty(String key, Source source, Collection<String> known) {
    String where = key + " (from " + source.label() + ")";
    String normalized = normalize(key);
    Optional<String> sameLetters = known.stream().filter(k -> normalize(k).equals(normalized))
        .findFirst();
    String option = key.substring(key.indexOf('.') + 1).replace('_', '-')
        .toLowerCase(Locale.ROOT);
    if (sameLetters.isPresent() && LEA_OPTIONS.contains(option)) {
      return where + " is lea's --" + option + "; lea-java spells it " + sameLetters.get() + ".";
    }
    if (sameLetters.isPresent()) {
      return where + " is not a lea-java setting; did you mean " + sameLetters.get()
          + "? Property names are case-sensitive.";
    }
    String unsupported = UNSUPPORTED_OPTIONS.get(
        normalized.startsWith("lea") ? normalized.substring("lea".length()) : normalized);
    if (unsupported != null) {
      return where + " is lea's " + unsupported + ", which lea-java does not support: lea-java runs"
          + " every script on DuckDB, so there is no other warehouse to stand in for. Remove it.";
    }
    return where + " is not a lea-java setting; did you mean " + nearest(key, known)
        + "? Every setting is listed in docs/configuration.md and by mvn lea:status.";
  }

  /** A warning for a {@code LEA_*} variable close to a setting's, or empty when it is not a typo. */
  static Optional<String> explainUnknownVariable(String name, Source source,
      Collection<String> known) {
    if (!name.startsWith("LEA_") || LEA_ONLY_PREFIXES.stream().anyMatch(name::startsWith)) {
      return Optional.empty();
    }
    String nearest = nearest(name, known);
    if (EditDistance.between(name, nearest) > 2) {
      return Optional.empty();
    }
    return Optional.of(name + " (from " + source.label() + ") is not a lea-java setting and is"
        + " ignored; did you mean " + nearest + "?");
  }

  /** The known name closest to {@code name} by edit distance, ignoring case. */
  static String nearest(String name, Collection<String> known) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return known.stream()
        .min(Comparator.comparingInt(
            (String k) -> EditDistance.between(wanted, k.toLowerCase(Locale.ROOT)))
            .thenComparing(Comparator.naturalOrder()))
        .orElseThrow();
  }

  /** Letters and digits only, lower case: {@code lea.dry-run}, {@code lea.dryRun} are one. */
  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /** Warehouses lea has and lea-java does not, with what to say. */
  static Optional<String> unsupportedWarehouse(String value) {
    return value.equalsIgnoreCase("bigquery")
        ? Optional.of(" lea-java runs on DuckDB; BigQuery is not supported.")
        : Optional.empty();
  }
}
