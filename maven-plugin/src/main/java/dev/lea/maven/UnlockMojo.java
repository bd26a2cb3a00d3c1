package dev.lea.maven;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Breaks a catalog's lock, but only the one whose id is given: the id printed by the run that was
 * refused, so a lock taken since then is never broken by mistake.
 */
@Mojo(name = "unlock", requiresProject = false, threadSafe = true)
public class UnlockMojo extends AbstractLeaMojo {

  /** The id of the lock to break, as printed by the run that found it held. */
  @Parameter(property = "lea.unlockId")
  private String unlockId;

  @Override
  protected void run(LeaConfig config) throws MojoFailureException {
    if (unlockId == null || unlockId.isBlank()) {
      throw new MojoFailureException("Cannot break the lock: no lock id given. Run mvn lea:status"
          + " to see the holder, then mvn lea:unlock -Dlea.unlockId=<id>.");
    }
    Lea.unlock(config, unlockId.trim(), reporter());
  }
}
