package dev.lea;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of {@code package-info.java} in {@code dev.lea}: each package uses only packages
 * below it, and packages on the same tier do not use each other. And the public surface: every
 * public type of core is API, SPI, or a helper of the one {@code internal} package.
 */
class ArchitectureTest {

  /** Bottom first; the packages of one tier are siblings. */
  static final List<List<String>> TIERS = List.of(
      List.of("spi"),
      List.of("internal"),
      List.of("config"),
      List.of("store"),
      List.of("lock", "transport", "policy"),
      List.of("sync"),
      List.of("runner"),
      List.of(""));

  /**
   * What a caller of the facade or a Maven goal uses, and an embedder who opens a session and runs
   * a project on its connection (relative to {@code dev.lea}).
   */
  static final Set<String> API = Set.of(
      "Lea", "BenchmarkResult", "Scrubber",
      "config.ConfigResolver", "config.LeaConfig", "config.LeaSettings", "config.ResolvedValue",
      "config.Setting", "config.Source",
      "spi.LeaException", "spi.Reporter",
      "runner.LeaRunner", "runner.RunResult", "runner.ScriptRun",
      "sync.CatalogSession", "sync.CatalogSync", "sync.SyncResult",
      "transport.GcResult");

  /** What a new store, transport, lock strategy or failure policy implements or uses. */
  static final Set<String> SPI = Set.of(
      "spi.Named", "config.SettingsContributor",
      "store.ObjectStore", "store.ObjectStoreProvider", "store.ObjectStores",
      "store.ForwardingObjectStore", "store.Capability", "store.Condition", "store.Location",
      "store.ObjectInfo", "store.Crc32c", "store.ReadResult", "store.PreconditionFailedException",
      "lock.LockStrategy", "lock.LockStrategies", "lock.CatalogLock", "lock.LockRequest",
      "lock.LockInfo", "lock.LockHeldException",
      "transport.CatalogTransport", "transport.CatalogTransports", "transport.CatalogFile",
      "transport.Download", "transport.TransportOptions", "transport.CatalogMetadata",
      "transport.CatalogIntegrityException",
      "policy.FailurePolicy", "policy.FailurePolicies", "policy.FailureContext",
      "policy.Disposition");

  /**
   * Neither API nor SPI: helpers that several packages of core share, public only because Java
   * has no friend packages without modules; the plugin and the store jars must not use them.
   */
  static final Set<String> INTERNAL = Set.of("internal.Background", "internal.EditDistance",
      "internal.LocalFiles", "internal.Sql", "internal.Providers", "internal.LibraryLogging");

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

  @Test
  void everyPublicTypeIsApiSpiOrPublicForANamedReason() throws URISyntaxException {
    Set<String> listed = listed();
    Set<String> found = new TreeSet<>();
    ownClasses().stream().filter(JavaClass::isTopLevelClass)
        .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
        .forEach(c -> found.add(c.getName().substring("dev.lea.".length())));

    Set<String> unlisted = new TreeSet<>(found);
    unlisted.removeAll(listed);
    assertThat(unlisted).as("public types of core that are neither API nor SPI: make each"
        + " package-private (move it beside its users), or add it deliberately to API or SPI in"
        + " ArchitectureTest and to the README's list of public types").isEmpty();
    Set<String> stale = new TreeSet<>(listed);
    stale.removeAll(found);
    assertThat(stale).as("listed as public in ArchitectureTest but not a public type of core:"
        + " remove them from the lists and the README").isEmpty();
  }

  @Test
  void eachInternalHelperIsSharedByAnotherPackage() throws URISyntaxException {
    JavaClasses own = ownClasses();
    INTERNAL.forEach(type -> {
      JavaClass c = own.get("dev.lea." + type);
      assertThat(c.getDirectDependenciesToSelf()).as("%s is used by another package of core;"
          + " if no longer, make it package-private and drop it from the lists", type)
          .anyMatch(d -> !d.getOriginClass().getPackageName().equals(c.getPackageName()));
    });
  }

  @Test
  void theListsDoNotOverlapAndEveryHelperIsInInternal() {
    assertThat(listed()).hasSize(API.size() + SPI.size() + INTERNAL.size());
    assertThat(INTERNAL).as("a public type that is neither API nor SPI belongs in dev.lea.internal")
        .allMatch(type -> type.startsWith("internal."));
  }

  @Test
  void theReadmeNamesEveryPublicType() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("\n### Public types");
    assertThat(start).as("README.md has a section '### Public types'").isNotNegative();
    int end = readme.indexOf("\n#", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    assertThat(listed()).allSatisfy(type -> assertThat(section)
        .as("README.md's public types name %s", type)
        .containsPattern("[`.]" + type.substring(type.lastIndexOf('.') + 1) + "`"));
  }

  /** Core's main classes only, not those of lea-testing, which shares the {@code dev.lea} root. */
  private static JavaClasses ownClasses() throws URISyntaxException {
    return new ClassFileImporter().importPath(ownRoot());
  }

  private static Path ownRoot() throws URISyntaxException {
    return Path.of(Lea.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Set<String> listed() {
    Set<String> listed = new TreeSet<>();
    Stream.of(API, SPI, INTERNAL).forEach(listed::addAll);
    return listed;
  }

  private static String layer(String name) {
    return name.isEmpty() ? "facade" : name;
  }
}
