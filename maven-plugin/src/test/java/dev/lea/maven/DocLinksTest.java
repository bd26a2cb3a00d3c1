package dev.lea.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every link between the user docs reaches a file and, with a #fragment, a heading in it. */
class DocLinksTest {

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Path ROOT = Path.of("..");

  @ParameterizedTest
  @ValueSource(strings = {"README.md", "docs/guide.md", "docs/configuration.md",
      "docs/reliability.md", "docs/benchmarks.md"})
  void everyLocalLinkResolves(String file) throws Exception {
    Path from = ROOT.resolve(file);
    List<String> broken = new ArrayList<>();
    Matcher link = LINK.matcher(Files.readString(from));
    while (link.find()) {
      String target = link.group(1);
      if (target.matches("^[a-z]+:.*")) {
        continue;
      }
      int hash = target.indexOf('#');
      Path path = hash == 0 ? from
          : from.getParent().resolve(hash < 0 ? target : target.substring(0, hash)).normalize();
      if (!Files.exists(path)) {
        broken.add(target);
      } else if (hash >= 0 && !anchors(path).contains(target.substring(hash + 1))) {
        broken.add(target);
      }
    }
    assertThat(broken).as("links in %s that lead nowhere", file).isEmpty();
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
  private static Set<String> anchors(Path markdown) throws Exception {
    Set<String> anchors = new HashSet<>();
    for (String line : Files.readAllLines(markdown)) {
      if (line.startsWith("#")) {
        String heading = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
        anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }
}
