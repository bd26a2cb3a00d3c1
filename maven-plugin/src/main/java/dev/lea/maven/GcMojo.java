package dev.lea.maven;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Deletes the chunks of a {@code chunked} catalog that no manifest references any more and that
 * are older than {@code lea.gc.grace} (default a week, at least a day), safely while another run
 * uploads.
 */
@Mojo(name = "gc", requiresProject = false, threadSafe = true)
public class GcMojo extends AbstractLeaMojo {

  @Override
  protected void run(LeaConfig config) {
    Lea.gc(config, reporter());
  }
}
