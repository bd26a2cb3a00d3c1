package dev.lea.runner;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test on an empty {@link TestProject} opened before each test (before the subclass's own
 * {@code @BeforeEach}, which writes its scripts) and closed after it.
 */
abstract class ProjectTestCase {

  @TempDir
  Path root;

  TestProject project;

  @BeforeEach
  void openProject() throws SQLException {
    project = new TestProject(root);
  }

  @AfterEach
  void closeProject() throws SQLException {
    project.close();
  }

  Plan plan(String... properties) {
    return LeaRunner.plan(project.connection, project.config(properties));
  }
}
