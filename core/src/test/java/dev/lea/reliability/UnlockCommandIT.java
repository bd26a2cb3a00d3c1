package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Lea;
import dev.lea.LeaProject;
import dev.lea.config.LeaConfig;
import dev.lea.lock.LockObjects;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStores;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Red-team finding 11: a lock id from a hand-made lock object was pasted unquoted into the
 * suggested {@code mvn lea:unlock} command, so copying the command ran whatever the id said. Each
 * suggested command (the refusal's and {@code lea:status}'s) is run here by a real {@code sh}, with
 * {@code mvn lea:unlock} replaced by {@code printf}: it must print exactly one argument carrying the
 * id and run nothing else. Then {@code Lea.unlock} with that id breaks the lock.
 */
class UnlockCommandIT {

  private static final String COMMAND = "mvn lea:unlock ";

  @TempDir Path project;
  private Path pwned;

  @BeforeEach
  void project() throws Exception {
    LeaProject.in(project).script("core/numbers.sql", "SELECT 1 AS n\n");
    pwned = project.resolve("pwned");
  }

  private LeaConfig config() {
    return LeaProject.in(project).production();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "x; touch PWNED",
      "x' ; touch PWNED ; echo '",
      "$(touch PWNED)",
      "`touch PWNED`",
      "x && touch PWNED #",
      "x | tee PWNED",
      "-Dfoo \"$(touch PWNED)\""})
  void everySuggestedCommandPassesTheIdAsOneInertArgument(String template) throws Exception {
    String id = template.replace("PWNED", pwned.toString());
    Instant now = Instant.now();
    String body = "{\"id\":" + jsonString(id) + ",\"who\":\"mallory@host\",\"pid\":1,"
        + "\"operation\":\"run\",\"created\":\"" + now + "\",\"expires\":\""
        + now.plusSeconds(3600) + "\",\"version\":\"0.1.0\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ObjectStores.file(project.resolve("bucket")).put(LockObjects.lockKey("warehouse.duckdb"),
        new ByteArrayInputStream(bytes), bytes.length, Map.of(), Condition.ifAbsent());

    List<String> commands = new ArrayList<>();
    assertThatThrownBy(() -> Lea.run(config(), Reporter.silent()))
        .isInstanceOf(LeaException.class)
        .satisfies(e -> commands.add(suggested(e.getMessage())));
    String statusLine = Lea.status(config()).stream().filter(l -> l.contains(COMMAND))
        .findFirst().orElseThrow();
    commands.add(suggested(statusLine));

    for (String command : commands) {
      assertThat(shell("printf '[%s]\\n' " + command.substring(COMMAND.length())))
          .as("what sh makes of: %s", command)
          .isEqualTo("[-Dlea.unlockId=" + id + "]\n");
      assertThat(pwned).as("a file created by pasting: %s", command).doesNotExist();
    }
    Lea.unlock(config(), id, Reporter.silent());
    assertThat(LockObjects.inspect(ObjectStores.file(project.resolve("bucket")),
        "warehouse.duckdb")).isEmpty();
  }

  /** The command as a user would copy it: from {@code mvn lea:unlock} to the end of its line. */
  private static String suggested(String message) {
    int start = message.indexOf(COMMAND);
    assertThat(start).as("an unlock command in: %s", message).isNotNegative();
    int end = message.indexOf('\n', start);
    return end < 0 ? message.substring(start) : message.substring(start, end);
  }

  private String shell(String command) throws Exception {
    Process process = new ProcessBuilder("/bin/sh", "-c", command).directory(project.toFile())
        .redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
