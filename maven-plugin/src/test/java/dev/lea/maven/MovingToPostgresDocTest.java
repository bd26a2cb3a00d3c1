package dev.lea.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The guide's "Moving to Postgres" shows exactly the settings the invoker IT
 * {@code ducklake-postgres} runs with: its {@code lea.env}, whose two ports its setup hook fills
 * in, here with the guide's 5432 and 9000.
 */
class MovingToPostgresDocTest {

  private static final Path IT = Path.of("src", "it", "ducklake-postgres");

  @Test
  void theGuideShowsTheSettingsOfTheInvokerIt() throws Exception {
    String settings = Files.readString(IT.resolve("lea.env"))
        .replace("${POSTGRES_PORT}", "5432")
        .replace("${S3_ENDPOINT}", "127.0.0.1:9000");
    assertThat(settings).doesNotContain("${");

    String guide = Files.readString(Path.of("..", "docs", "guide.md"));
    int section = guide.indexOf("\n## Moving to Postgres\n");
    assertThat(section).as("docs/guide.md has a \"Moving to Postgres\" section").isNotNegative();
    int named = guide.indexOf("`ducklake-postgres`", section);
    int end = guide.indexOf("\n## ", section + 1);
    assertThat(named).as("the section names the invoker IT").isBetween(section, end);
    int block = guide.indexOf("```bash\n", named) + "```bash\n".length();
    String shown = guide.substring(block, guide.indexOf("```\n", block));

    assertThat(shown).isEqualTo(settings);
  }
}
