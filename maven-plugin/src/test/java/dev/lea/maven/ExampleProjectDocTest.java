package dev.lea.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The guide's quick start describes examples/shop as it is (it once said eight scripts). */
class ExampleProjectDocTest {

  private static final List<String> NUMBERS = List.of("no", "one", "two", "three", "four", "five",
      "six", "seven", "eight", "nine", "ten", "eleven", "twelve");

  @Test
  void theQuickStartCountsTheExamplesScripts() throws Exception {
    long scripts;
    try (Stream<Path> files = Files.walk(Path.of("..", "examples", "shop", "scripts"))) {
      scripts = files.map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".sql") || name.endsWith(".sql.jinja")).count();
    }
    String guide = Files.readString(Path.of("..", "docs", "guide.md"));
    assertThat(guide).contains("`examples/shop`: " + NUMBERS.get((int) scripts) + " scripts");
  }
}
