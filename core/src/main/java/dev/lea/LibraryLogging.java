package dev.lea;

import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * lea reports through its {@link Reporter}; some of its libraries (Jinjava, sqlite-jdbc) log
 * through SLF4J. In a project without an SLF4J binding, SLF4J would print "No SLF4J providers were
 * found" on first use; lea quiets that and SLF4J discards the libraries' logs. A project that adds
 * a binding (logback-classic, slf4j-simple) gets them as usual: nothing changes then.
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
    if (ServiceLoader.load(SLF4JServiceProvider.class, LoggerFactory.class.getClassLoader())
        .findFirst().isEmpty()) {
      System.setProperty(SLF4J_VERBOSITY, "ERROR");
    }
  }
}
