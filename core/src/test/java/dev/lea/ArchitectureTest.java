package dev.lea;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of {@code package-info.java} in {@code dev.lea}: each package uses only packages
 * below it, and packages on the same tier do not use each other.
 */
class ArchitectureTest {

  /** Bottom first; the packages of one tier are siblings. */
  static final List<List<String>> TIERS = List.of(
      List.of("spi", "internal"),
      List.of("config"),
      List.of("store"),
      List.of("duckdb"),
      List.of("lock", "transport", "policy"),
      List.of("sync"),
      List.of("runner"),
      List.of(""));

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.lea");
  }

  @Test
  void everyPackageUsesOnlyThePackagesBelowIt() {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (List<String> tier : TIERS) {
      for (String name : tier) {
        layers = layers.layer(layer(name)).definedBy(name.isEmpty() ? "dev.lea"
            : "dev.lea." + name + "..");
      }
    }
    for (int i = 0; i < TIERS.size() - 1; i++) {
      List<String> above = new ArrayList<>();
      TIERS.subList(i + 1, TIERS.size()).forEach(tier -> tier.forEach(n -> above.add(layer(n))));
      for (String name : TIERS.get(i)) {
        layers = layers.whereLayer(layer(name))
            .mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
      }
    }
    layers.check(core);
  }

  @Test
  void theLayersCoverEveryPackage() {
    List<String> known = new ArrayList<>();
    TIERS.forEach(tier -> tier.forEach(n -> known.add(n.isEmpty() ? "dev.lea" : "dev.lea." + n)));
    assertThat(core).isNotEmpty().allSatisfy(c -> assertThat(known)
        .as("the layer of %s", c.getName())
        .anyMatch(p -> c.getPackageName().equals(p) || c.getPackageName().startsWith(p + ".")));
  }

  private static String layer(String name) {
    return name.isEmpty() ? "facade" : name;
  }
}
