package dev.lea.maven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

/**
 * The top of the layers of {@code dev.lea}'s package-info: the goals go through the facade only,
 * and the store jars build on {@code spi}, {@code config} and {@code store} only, so a new store
 * needs nothing else of core.
 */
class PluginArchitectureTest {

  /** The main classes of the plugin and the store jars, not their tests. */
  private static JavaClasses imported(String... packages) {
    return new ClassFileImporter()
        .withImportOption((Location l) -> !l.contains("/test-classes/") && !l.contains("-tests.jar"))
        .importPackages(packages);
  }

  @Test
  void theGoalsUseOnlyTheFacadeConfigAndSpi() {
    noClasses().that().resideInAPackage("dev.lea.maven..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lea.store..", "dev.lea.internal..",
            "dev.lea.lock..", "dev.lea.transport..", "dev.lea.policy..", "dev.lea.sync..",
            "dev.lea.runner..")
        .check(imported("dev.lea.maven"));
  }

  @Test
  void theStoresUseOnlySpiConfigAndStore() {
    noClasses().that().resideInAnyPackage("dev.lea.store.s3..", "dev.lea.store.gcs..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.lea", "dev.lea.internal..",
            "dev.lea.lock..", "dev.lea.transport..", "dev.lea.policy..", "dev.lea.sync..",
            "dev.lea.runner..")
        .check(imported("dev.lea.store.s3", "dev.lea.store.gcs"));
  }
}
