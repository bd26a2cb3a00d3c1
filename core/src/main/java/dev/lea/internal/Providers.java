package dev.lea.internal;

import dev.lea.spi.LeaException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Finds SPI implementations by name: lea's built-ins, which their registry passes in so that they
 * need not be public, then every jar's through {@link ServiceLoader}. Loading uses the class loader
 * that loaded the SPI type and the thread's context class loader, so a backend jar on a Maven
 * plugin's classpath is found either way.
 */
public final class Providers {

  private Providers() {}

  /** All implementations of {@code type} visible from this class loader and the context one. */
  public static <T> List<T> all(Class<T> type) {
    return all(type, List.of());
  }

  /** {@code builtIns}, then the implementations of {@code type} that jars provide. */
  public static <T> List<T> all(Class<T> type, List<? extends T> builtIns) {
    List<T> found = new ArrayList<>(builtIns);
    TreeSet<String> seen = new TreeSet<>();
    builtIns.forEach(builtIn -> seen.add(builtIn.getClass().getName()));
    for (ClassLoader loader : loaders(type)) {
      for (T provider : ServiceLoader.load(type, loader)) {
        if (seen.add(provider.getClass().getName())) {
          found.add(provider);
        }
      }
    }
    return found;
  }

  /**
   * The implementation whose name (one of {@code names}) equals {@code wanted}, or a user error
   * naming what exists: {@code Unknown lock strategy 'x'; available: a, b}.
   */
  public static <T> T find(Class<T> type, List<? extends T> builtIns, String what, String wanted,
      Function<T, ? extends Iterable<String>> names) {
    TreeSet<String> available = new TreeSet<>();
    for (T provider : all(type, builtIns)) {
      for (String name : names.apply(provider)) {
        if (name.equals(wanted)) {
          return provider;
        }
        available.add(name);
      }
    }
    throw LeaException.user(
        "Unknown " + what + " '" + wanted + "'; available: " + String.join(", ", available));
  }

  /** The names of every implementation, sorted. */
  public static <T> TreeSet<String> names(Class<T> type, List<? extends T> builtIns,
      Function<T, ? extends Iterable<String>> names) {
    TreeSet<String> result = new TreeSet<>();
    for (T provider : all(type, builtIns)) {
      names.apply(provider).forEach(result::add);
    }
    return result;
  }

  private static List<ClassLoader> loaders(Class<?> type) {
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(type.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != type.getClassLoader()) {
      loaders.add(context);
    }
    return loaders;
  }
}
