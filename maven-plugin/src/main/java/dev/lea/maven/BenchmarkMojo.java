package dev.lea.maven;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Round-trips the catalog (a copy of it, or a generated one of {@code lea.benchmark.size}) through
 * every transport against the configured bucket, under a scratch prefix it deletes afterwards, and
 * prints the timings, bytes stored and a recommended transport. The catalog and its lock are only
 * read.
 */
@Mojo(name = "benchmark", requiresProject = false, threadSafe = true)
public class BenchmarkMojo extends AbstractLeaMojo {

  @Override
  protected void run(LeaConfig config) {
    Lea.benchmark(config, reporter());
  }
}
