package dev.lea.runner;

/**
 * What happened to one script or test in a run, or what would happen in a plan.
 *
 * @param name the table ({@code core.orders}) or test ({@code tests.core__orders__id___unique})
 * @param source where it is defined: the script file relative to the project directory, or the tag
 * @param rows rows of the built table, {@code -1} for tests and scripts that did not build
 * @param seconds time spent, {@code 0} when it did not run
 * @param message why it was resumed or planned, or what failed; empty otherwise
 */
public record ScriptRun(String name, Kind kind, Status status, long rows, double seconds,
    String source, String message) {

  /** Tables are built and published; tests only query. */
  public enum Kind {
    TABLE, TEST
  }

  public enum Status {
    /** Built and promoted from its audit table. */
    PUBLISHED,
    /** A test that returned no rows. */
    PASSED,
    /** Built into its audit table, not published because something else failed. */
    BUILT,
    /**
     * Not run: an earlier failed run left its audit table, newer than the script, so this run
     * reads and publishes that (lea's resume after failure).
     */
    RESUMED,
    /** Would run (dry run). */
    PLANNED,
    FAILED,
    /** Not run because an earlier script or test failed. */
    NOT_RUN
  }
}
