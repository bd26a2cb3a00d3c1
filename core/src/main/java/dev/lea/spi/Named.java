package dev.lea.spi;

/** An SPI implementation chosen by name in configuration. */
public interface Named {

  /** The name users write in configuration, e.g. {@code lock-file}. */
  String name();
}
