package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java program in README.md, taken from the README itself, compiled against lea-core and run
 * twice in its own JVM as a user would run it: the second run must work too, and it writes the
 * user's dev copy as {@code mvn lea:run} does.
 */
class ReadmeExampleIT {

  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theReadmeProgramCompilesAndRunsTwice() throws Exception {
    Matcher block = JAVA_BLOCK.matcher(Files.readString(Path.of("..", "README.md")));
    assertThat(block.find()).as("README.md has a ```java block").isTrue();
    Path source = Files.createDirectories(dir.resolve("src")).resolve("Answers.java");
    Files.writeString(source, block.group(1));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String classPath = System.getProperty("java.class.path");

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int compiled = compiler.run(null, null, errors, "-d", classes.toString(), "-cp", classPath,
        source.toString());
    assertThat(compiled).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();

    Path project = Files.createDirectories(dir.resolve("project"));
    for (int run = 1; run <= 2; run++) {
      Process process = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dlea.cache.dir=" + dir.resolve("cache"), "-Dlea.username=readme",
          "-cp", classes + File.pathSeparator + classPath, "Answers", project.toString()))
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("run %d: %s", run, output).isZero();
    }

    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (Connection connection = DriverManager.getConnection(
            "jdbc:duckdb:" + project.resolve("bucket/warehouse_readme.duckdb"), readOnly);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT answer FROM answers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
      assertThat(rs.next()).as("one row after two runs").isFalse();
    }
    assertThat(project.resolve("bucket/warehouse.duckdb"))
        .as("a dev run writes the user's copy, as mvn lea:run does").doesNotExist();
  }
}
