package dev.lea.maven;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Runs the lea project's scripts against its warehouse: takes the lock, downloads the catalog,
 * runs with write-audit-publish, uploads the catalog back, releases the lock.
 */
@Mojo(name = "run", requiresProject = false, threadSafe = true)
public class RunMojo extends AbstractLeaMojo {

  @Override
  protected void run(LeaConfig config) {
    Lea.run(config, reporter());
  }
}
