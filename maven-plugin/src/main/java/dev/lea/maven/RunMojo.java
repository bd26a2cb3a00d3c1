package dev.lea.maven;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs the lea project's scripts against its warehouse: takes the lock, downloads the catalog,
 * runs with write-audit-publish, uploads the catalog back, releases the lock.
 */
@Mojo(name = "run", requiresProject = false, threadSafe = true)
public class RunMojo extends AbstractLeaMojo {

  /**
   * Where the run's tables and tests are written as JUnit XML ({@code TEST-lea.xml}, read by CI
   * systems like Surefire's reports) and its summary as {@code run.json}.
   */
  @Parameter(property = "lea.reportsDirectory",
      defaultValue = "${project.build.directory}/lea-reports")
  protected File reportsDirectory;

  @Override
  protected void run(LeaConfig config) {
    Lea.run(config, reporter(), reportsDirectory.toPath());
  }
}
