package dev.lea.config;

/** Where a resolved value came from, lowest precedence first. */
public enum Source {
  DEFAULT("default"),
  DOTENV(".env"),
  ENVIRONMENT("environment"),
  CONFIGURATION("configuration"),
  SYSTEM_PROPERTY("system property");

  private final String label;

  Source(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
