package dev.lea.bench;

import org.openjdk.jmh.annotations.Param;

/** A benchmark that moves one catalog file ({@link Catalogs}) of each size and content. */
public abstract class CatalogBenchmark extends QuickProfile {

  @Param({"1MiB", "64MiB"})
  public String size;

  @Param({"random", "realistic"})
  public String content;
}
