package dev.lea.runner;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.loader.FileLocator;
import dev.lea.spi.LeaException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders {@code .sql.jinja} scripts as lea does: {@code env} is the environment and
 * {@code load_yaml(path)} reads a YAML file of the project. Includes resolve against the scripts
 * folder, like lea's Jinja loader.
 */
final class JinjaRenderer {

  // Jinjava functions are static; the script being rendered reaches load_yaml through these
  // context variables.
  private static final String SCRIPT_DIR = "__lea_script_dir__";
  private static final String SCRIPTS_DIR = "__lea_scripts_dir__";
  private static final String PROJECT_DIR = "__lea_project_dir__";

  private static final Pattern MISSING_METHOD = Pattern.compile(
      "Cannot find method (\\w+) with \\d+ parameters in class ([\\w.$]+)");
  private static final Pattern MISSING_FUNCTION = Pattern.compile(
      "Could not resolve function '(\\w+)'");
  private static final Pattern PERCENT_FORMAT = Pattern.compile(
      "Cannot coerce '(.*)' of class java\\.lang\\.String to class java\\.lang\\.(Long|Double)",
      Pattern.DOTALL);
  private static final Pattern STRING_INDEX = Pattern.compile(
      "Cannot resolve property '(-?\\d+)' in ");
  private static final String UNSUPPORTED = " is not supported by lea-java's Jinja (Jinjava)";

  private final Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
      .withElResolver(resolver()).build());
  private final Path projectDirectory;
  private final Path scriptsDirectory;
  private final Map<String, String> environment;

  JinjaRenderer(Path projectDirectory, Path scriptsDirectory, Map<String, String> environment) {
    this.projectDirectory = projectDirectory.toAbsolutePath().normalize();
    this.scriptsDirectory = scriptsDirectory.toAbsolutePath().normalize();
    this.environment = environment;
    try {
      jinjava.setResourceLocator(new FileLocator(this.scriptsDirectory.toFile()));
    } catch (FileNotFoundException e) {
      throw LeaException.user("Cannot render templates: scripts folder " + scriptsDirectory
          + " does not exist.", e);
    }
    jinjava.registerFunction(new ELFunctionDefinition("", "load_yaml", JinjaRenderer.class,
        "loadYaml", String.class));
  }

  String render(Path file, String label) {
    Map<String, Object> bindings = new HashMap<>();
    bindings.put("env", environment);
    bindings.put(SCRIPT_DIR, file.toAbsolutePath().normalize().getParent().toString());
    bindings.put(SCRIPTS_DIR, scriptsDirectory.toString());
    bindings.put(PROJECT_DIR, projectDirectory.toString());
    String template;
    try {
      template = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LeaException.user("Cannot read " + label + ": " + e.getMessage() + ".", e);
    }
    RenderResult result = jinjava.renderForResult(template, bindings);
    for (TemplateError error : result.getErrors()) {
      // Jinjava only warns about some mistakes Jinja itself refuses, such as a stray end tag, or
      // indexing a string, which Jinja2 does and Jinjava renders as nothing.
      boolean stringIndex = error.getMessage() != null
          && STRING_INDEX.matcher(error.getMessage()).find();
      if (error.getSeverity() == TemplateError.ErrorType.FATAL
          || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR || stringIndex) {
        String where = error.getLineno() > 0 ? " at line " + error.getLineno() : "";
        throw LeaException.user("Cannot render " + label + ": Jinja error" + where + ": "
            + message(error) + ". Fix the template and run again.");
      }
    }
    return result.getOutput();
  }

  /** Python's str methods first, then Jinjava's own resolution. */
  private static ELResolver resolver() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PythonStrMethods());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
    return resolver;
  }

  /**
   * Why rendering failed, for the person who wrote the template: the cause of a failing function
   * (Jinjava reports "Error invoking function"), or the Python construct Jinjava lacks and what to
   * write instead.
   */
  private static String message(TemplateError error) {
    for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
      if (cause instanceof YamlException) {
        return cause.getMessage();
      }
      if (cause instanceof PythonStrMethods.Unsupported unsupported) {
        return unsupported.describe();
      }
    }
    String text = String.valueOf(error.getMessage());
    Matcher method = MISSING_METHOD.matcher(text);
    if (method.find()) {
      return pythonType(method.group(2)) + "." + method.group(1) + "()" + UNSUPPORTED
          + "; write it with a Jinja filter instead (the supported Python methods are listed"
          + " under \"Coming from lea\" in docs/guide.md)";
    }
    Matcher function = MISSING_FUNCTION.matcher(text);
    if (function.find()) {
      return function.group(1).equals("dict")
          ? "dict()" + UNSUPPORTED + "; write a literal such as {'a': 1} instead"
          : function.group(1) + "() is not a Jinja function (Jinja2 has no Python built-ins"
              + " either); write loop.index0, |length, |string or |int instead";
    }
    Matcher percent = PERCENT_FORMAT.matcher(text);
    if (percent.find() && percent.group(1).contains("%")) {
      return "Python's % formatting of strings" + UNSUPPORTED + "; write '" + percent.group(1)
          + "'|format(a, b) instead";
    }
    Matcher index = STRING_INDEX.matcher(text);
    if (index.find()) {
      int at = Integer.parseInt(index.group(1));
      return "indexing a string with [" + at + "]" + UNSUPPORTED + "; write text[" + at + ":"
          + (at == -1 ? "" : String.valueOf(at + 1)) + "] instead";
    }
    return text;
  }

  private static String pythonType(String javaClass) {
    if (javaClass.equals(String.class.getName())) {
      return "str";
    }
    if (javaClass.contains("List")) {
      return "list";
    }
    return javaClass.contains("Map") ? "dict" : javaClass.substring(javaClass.lastIndexOf('.') + 1);
  }

  /** Why {@code load_yaml} failed, worded for the person who wrote the template. */
  private static final class YamlException extends RuntimeException {
    YamlException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** {@code load_yaml(path)}: relative to the script's folder, then the scripts folder (lea), then the project. */
  public static Object loadYaml(String path) {
    JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
    Path project = Path.of((String) interpreter.getContext().get(PROJECT_DIR));
    Set<Path> candidates = new LinkedHashSet<>();
    for (String base : List.of(SCRIPT_DIR, SCRIPTS_DIR, PROJECT_DIR)) {
      candidates.add(Path.of((String) interpreter.getContext().get(base)).resolve(path)
          .normalize());
    }
    List<String> tried = new ArrayList<>();
    for (Path candidate : candidates) {
      if (!candidate.startsWith(project)) {
        throw new YamlException("Cannot load YAML '" + path
            + "': the path leaves the project directory " + project, null);
      }
      if (Files.isRegularFile(candidate)) {
        try (Reader reader = Files.newBufferedReader(candidate, StandardCharsets.UTF_8)) {
          return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException | RuntimeException e) {
          throw new YamlException("Cannot load YAML '" + path + "' from " + candidate + ": "
              + e.getMessage(), e);
        }
      }
      tried.add(candidate.toString());
    }
    throw new YamlException("Cannot load YAML '" + path + "': no such file; looked at "
        + String.join(", ", tried), null);
  }
}
