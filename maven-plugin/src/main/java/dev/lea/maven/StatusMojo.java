package dev.lea.maven;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints the resolved configuration with the source of each value (secrets masked), and the
 * remote catalog's size, version, last writer and lock state.
 */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends AbstractLeaMojo {

  @Override
  protected void run(LeaConfig config) {
    for (String line : Lea.status(config)) {
      getLog().info(line);
    }
  }
}
