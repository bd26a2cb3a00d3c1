package dev.lea.runner;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.runner.AssertionTags.Tag;
import dev.lea.runner.SqlParser.ParsedQuery;
import dev.lea.runner.SqlParser.Reference;
import dev.lea.spi.LeaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A lea project read from disk: its scripts and tests, rendered, parsed, their assertion tests, and
 * the dependency graph.
 */
final class Project {

  /** lea reads {@code name.sql} and {@code name.sql.jinja}; a name with more dots is not a script. */
  private static final Pattern SCRIPT_FILE = Pattern.compile("[^._][^.]*\\.sql(\\.jinja)?");

  private final Path directory;
  private final Map<TableName, Node> nodes;
  private final Graph graph;

  private final Set<TableName> tables = new LinkedHashSet<>();

  private Project(Path directory, Map<TableName, Node> nodes, Graph graph) {
    this.directory = directory;
    this.nodes = nodes;
    this.graph = graph;
    nodes.values().stream().filter(node -> !node.test()).forEach(node -> tables.add(node.name()));
  }

  /** The tables the scripts build (everything but tests). */
  Set<TableName> tables() {
    return tables;
  }

  Path directory() {
    return directory;
  }

  Map<TableName, Node> nodes() {
    return nodes;
  }

  Node node(TableName name) {
    return nodes.get(name);
  }

  Graph graph() {
    return graph;
  }

  static Project load(Connection connection, LeaConfig config) {
    Path project = config.projectDirectory().toAbsolutePath().normalize();
    Path scripts = config.path(LeaSettings.SCRIPTS).orElse(project.resolve("scripts"));
    if (!Files.isDirectory(scripts)) {
      throw LeaException.user("Cannot read scripts: folder " + scripts + " does not exist. Set "
          + LeaSettings.SCRIPTS + " (LEA_SCRIPTS) to the scripts folder, relative to the project"
          + " directory " + project + ".");
    }
    List<SourceFile> files = new ArrayList<>();
    for (Path file : list(scripts)) {
      List<String> folders = folders(scripts, file);
      String stem = stem(file);
      TableName name = folders.isEmpty() ? new TableName("", stem)
          : new TableName(folders.get(0), join(folders.subList(1, folders.size()), stem));
      files.add(new SourceFile(name, file, folders));
    }
    if (files.isEmpty()) {
      // lea stops with "Nothing found for select"; running on would drop every table as orphaned.
      throw LeaException.user("Cannot run: the scripts folder " + scripts + " holds no .sql or"
          + " .sql.jinja script. Set " + LeaSettings.SCRIPTS + " (LEA_SCRIPTS) to the folder of the"
          + " project's scripts, relative to the project directory " + project + ".");
    }
    Path tests = config.path(LeaSettings.TESTS).orElse(project.resolve("tests"));
    if (Files.isDirectory(tests) && !tests.startsWith(scripts)) {
      for (Path file : list(tests)) {
        List<String> folders = new ArrayList<>(List.of("tests"));
        folders.addAll(folders(tests, file));
        files.add(new SourceFile(new TableName("tests", join(folders.subList(1, folders.size()),
            stem(file))), file, folders));
      }
    }

    JinjaRenderer jinja = new JinjaRenderer(project, scripts, config.environment());
    SqlParser parser = new SqlParser(connection);
    Map<TableName, Draft> drafts = new TreeMap<>((a, b) -> a.key().compareTo(b.key()));
    Map<TableName, String> origins = new LinkedHashMap<>();
    for (SourceFile file : files) {
      String label = label(project, file.path());
      String previous = origins.putIfAbsent(file.name(), label);
      if (previous != null) {
        throw LeaException.user("Cannot read " + label + ": " + previous + " already defines "
            + file.name() + ". Rename or remove one of them.");
      }
      boolean templated = file.path().getFileName().toString().endsWith(".jinja");
      String sql = trimQuery(templated ? jinja.render(file.path(), label) : read(file.path(), label));
      ParsedQuery parsed = parser.parse(sql, label);
      List<Tag> tags = file.name().isTest() ? List.of()
          : AssertionTags.extract(sql, parsed.namedSelects(), label);
      drafts.put(file.name(), new Draft(file.name(), label, templated, file.folders(), sql,
          parsed, tags, modified(file.path(), label)));
      for (Tag tag : tags) {
        if (!tag.isTest()) {
          continue;
        }
        TableName testName = AssertionTags.testName(file.name(), tag);
        String tagLabel = label + " line " + tag.line() + " (#" + tag.kind() + " on "
            + tag.column() + ")";
        String previousTag = origins.putIfAbsent(testName, tagLabel);
        if (previousTag != null) {
          throw LeaException.user("Cannot read " + tagLabel + ": " + previousTag
              + " already defines the test " + testName + ". Keep one of the two tags.");
        }
        String testSql = AssertionTags.testSql(file.name(), tag);
        drafts.put(testName, new Draft(testName, tagLabel, false, List.of("tests"), testSql,
            parser.parse(testSql, tagLabel), List.of(), null));
      }
    }

    Set<TableName> tables = new LinkedHashSet<>();
    drafts.keySet().stream().filter(name -> !name.isTest()).forEach(tables::add);
    Map<TableName, Node> nodes = new LinkedHashMap<>();
    Map<TableName, Set<TableName>> edges = new LinkedHashMap<>();
    for (Draft draft : drafts.values()) {
      Set<TableName> dependencies = new LinkedHashSet<>();
      for (Reference reference : draft.parsed().references()) {
        TableName target = target(reference, draft.parsed(), tables);
        if (target != null) {
          dependencies.add(target);
        }
      }
      nodes.put(draft.name(), new Node(draft.name(), draft.name().isTest(), draft.label(),
          draft.templated(), draft.folders(), draft.sql(), draft.parsed(),
          Set.copyOf(dependencies), draft.tags(), LocalFiles.sha256OfText(draft.sql()),
          draft.modified()));
      edges.put(draft.name(), dependencies);
    }
    return new Project(project, nodes, new Graph(edges));
  }

  /** The script table a reference reads, or {@code null} for CTEs, files and outside tables. */
  static TableName target(Reference reference, ParsedQuery parsed, Set<TableName> tables) {
    if (!reference.catalog().isEmpty() || parsed.isCte(reference)) {
      return null;
    }
    String schema = reference.schema().equalsIgnoreCase("main") ? "" : reference.schema();
    TableName candidate = new TableName(schema, reference.table());
    if (tables.contains(candidate)) {
      return candidate;
    }
    return null;
  }

  private record SourceFile(TableName name, Path path, List<String> folders) {}

  private record Draft(TableName name, String label, boolean templated, List<String> folders,
      String sql, ParsedQuery parsed, List<Tag> tags, Instant modified) {}

  private static List<Path> list(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(path -> SCRIPT_FILE.matcher(path.getFileName().toString()).matches())
          .filter(path -> !hidden(root.relativize(path)))
          .filter(path -> size(path) > 0)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw LeaException.user("Cannot list scripts in " + root + ": " + e.getMessage() + ".", e);
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static long size(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      throw LeaException.user("Cannot read " + path + ": " + e.getMessage() + ".", e);
    }
  }

  private static Instant modified(Path file, String label) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      throw LeaException.user("Cannot read " + label + ": " + e.getMessage() + ".", e);
    }
  }

  private static List<String> folders(Path root, Path file) {
    List<String> folders = new ArrayList<>();
    Path parent = root.relativize(file).getParent();
    if (parent != null) {
      parent.forEach(part -> folders.add(part.toString()));
    }
    return folders;
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.indexOf('.'));
  }

  private static String join(List<String> folders, String stem) {
    List<String> parts = new ArrayList<>(folders);
    parts.add(stem);
    return String.join("__", parts);
  }

  private static String label(Path project, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path shown = absolute.startsWith(project) ? project.relativize(absolute) : absolute;
    return shown.toString().replace('\\', '/');
  }

  private static String read(Path file, String label) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LeaException.user("Cannot read " + label + ": " + e.getMessage() + ".", e);
    }
  }

  /** Like lea: trailing blanks and semicolons go, so the query can be embedded. */
  static String trimQuery(String sql) {
    String trimmed = sql.stripTrailing();
    while (trimmed.endsWith(";")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).stripTrailing();
    }
    return trimmed;
  }
}
