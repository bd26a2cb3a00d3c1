package dev.lea.internal;

import java.util.ServiceLoader;

/**
 * lea reports through its {@link Reporter}; some of its libraries (Jinjava, sqlite-jdbc) log
 * through SLF4J. In a project without an SLF4J binding, SLF4J 2 would print "No SLF4J providers
 * were found" on first use; lea quiets that and SLF4J discards the libraries' logs. A project that
 * adds a binding (logback-classic, slf4j-simple) gets them as usual: nothing changes then.
 */
public final class LibraryLogging {

  /** SLF4J's own switch for its internal messages ({@code org.slf4j.helpers.Reporter}). */
  private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";
  private static final String SLF4J_PROVIDER = "slf4j.provider";

  private LibraryLogging() {}

  /** Call before any library logs; does nothing when a binding or a choice exists. */
  public static void quietWithoutBinding() {
    if (System.getProperty(SLF4J_PROVIDER) != null || System.getProperty(SLF4J_VERBOSITY) != null) {
      return;
    }
    // Named, not linked: Maven 3.8 gives plugins its own SLF4J 1.7, which has no providers (and
    // always a binding), so the class must not be required.
    Class<?> provider;
    try {
      provider = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false,
          LibraryLogging.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError notSlf4j2) {
      return;
    }
    if (ServiceLoader.load(provider, provider.getClassLoader()).findFirst().isEmpty()) {
      System.setProperty(SLF4J_VERBOSITY, "ERROR");
    }
  }
}
