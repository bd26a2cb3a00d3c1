package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Lea;
import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockObjects;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red-team finding 7: with catalogs {@code victim.duckdb} and {@code victim.duckdb.lock} in one
 * bucket, the lock of the first was the second catalog, and the refusal's own unlock advice
 * deleted it. Lock objects now live under {@code .lea/locks/}, where no catalog may be, and unlock
 * deletes only an object that is a lock lea wrote with the given id.
 */
class LockLocationTest {

  private static final Pattern UNLOCK_ID = Pattern.compile("-Dlea\\.unlockId=([^'\\s]+)");

  @TempDir Path project;
  private final List<String> output = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    Files.createDirectories(project.resolve("scripts/core"));
    Files.writeString(project.resolve("scripts/core/numbers.sql"), "SELECT range AS n FROM range(3)\n");
  }

  private LeaConfig config(String catalog) {
    return LeaConfig.defaults(project)
        .with(LeaSettings.DUCKDB_PATH, "file:bucket/" + catalog)
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.CACHE_DIR, project.resolve("cache").toString());
  }

  private Reporter reporter() {
    return Reporters.collecting(output);
  }

  @Test
  void aCatalogNamedLikeALockIsNeitherALockNorDeletedByUnlockAdvice() throws Exception {
    Lea.run(config("victim.duckdb"), reporter());
    Lea.run(config("victim.duckdb.lock"), reporter());
    Path lockCatalog = project.resolve("bucket/victim.duckdb.lock");
    byte[] before = Files.readAllBytes(lockCatalog);

    // Today's main refused this run and advised `lea:unlock -Dlea.unlockId=unreadable-…`.
    List<String> advised = new ArrayList<>();
    try {
      Lea.run(config("victim.duckdb"), reporter());
    } catch (LeaException refused) {
      Matcher id = UNLOCK_ID.matcher(refused.getMessage());
      while (id.find()) {
        advised.add(id.group(1));
      }
    }
    for (String line : Lea.status(config("victim.duckdb"))) {
      Matcher id = UNLOCK_ID.matcher(line);
      while (id.find()) {
        advised.add(id.group(1));
      }
    }
    for (String id : advised) {
      try {
        Lea.unlock(config("victim.duckdb"), id, reporter());
      } catch (LeaException refused) {
        // A refusal is fine; deleting the other catalog is not.
      }
    }

    assertThat(lockCatalog).as("the catalog victim.duckdb.lock").exists();
    assertThat(Files.readAllBytes(lockCatalog)).isEqualTo(before);
    assertThat(advised).as("unlock commands lea advised for victim.duckdb").isEmpty();
    assertThat(String.join("\n", output)).doesNotContain("Broke the lock");
    assertThat(Lea.status(config("victim.duckdb"))).contains("Lock: free.");
    assertThat(LockObjects.lockKey("victim.duckdb")).startsWith(".lea/locks/");
  }

  @Test
  void aCatalogCannotLiveWhereLocksLive() {
    assertThatThrownBy(() -> Lea.run(config(".lea/locks/victim.duckdb.lock"), reporter()))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot use catalog ")
        .hasMessageContaining("the folder '.lea/locks' is reserved for lea's lock objects")
        .hasMessageContaining("Move the catalog");
    assertThat(project.resolve("bucket/.lea/locks/victim.duckdb.lock")).doesNotExist();
  }

  @Test
  void anObjectAtTheLockKeyThatIsNoLockIsNeverDeleted() throws Exception {
    Lea.run(config("victim.duckdb"), reporter());
    byte[] catalog = Files.readAllBytes(project.resolve("bucket/victim.duckdb"));
    ObjectStore store = ObjectStores.file(project.resolve("bucket"));
    String lockKey = LockObjects.lockKey("victim.duckdb");
    store.put(lockKey, new ByteArrayInputStream(catalog), catalog.length, Map.of(),
        Condition.ifAbsent());
    String unreadableId = LockObjects.inspect(store, "victim.duckdb").orElseThrow().id();

    assertThatThrownBy(() -> Lea.run(config("victim.duckdb"), reporter()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("the object there is not a lock lea wrote (the lock object is")
        .hasMessageContaining("lea did not write it, so it will not delete it")
        .hasMessageNotContaining("lea:unlock");
    assertThatThrownBy(() -> Lea.unlock(config("victim.duckdb"), unreadableId, reporter()))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot break the lock on ")
        .hasMessageContaining("it is not a lock lea wrote (the lock object is")
        .hasMessageContaining("delete it with the store's own tools");
    try (var read = store.read(lockKey, null)) {
      assertThat(read.content().readAllBytes()).isEqualTo(catalog);
    }
  }

  @Test
  void aLockAtTheOldLocationIsIgnoredAndLeftAlone() throws Exception {
    Files.createDirectories(project.resolve("bucket"));
    Instant now = Instant.now();
    byte[] old = ("{\"id\":\"old-run\",\"who\":\"ci@old\",\"pid\":1,\"operation\":\"run\","
        + "\"created\":\"" + now + "\",\"expires\":\"" + now.plusSeconds(3600)
        + "\",\"version\":\"0.1.0\"}").getBytes(StandardCharsets.UTF_8);
    Files.write(project.resolve("bucket/victim.duckdb.lock"), old);

    Lea.run(config("victim.duckdb"), reporter());

    assertThat(project.resolve("bucket/victim.duckdb")).exists();
    assertThat(Files.readAllBytes(project.resolve("bucket/victim.duckdb.lock"))).isEqualTo(old);
    assertThatThrownBy(() -> Lea.unlock(config("victim.duckdb"), "old-run", reporter()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("there is no lock");
    assertThat(Files.readAllBytes(project.resolve("bucket/victim.duckdb.lock"))).isEqualTo(old);
  }
}
