package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lea renders {@code .sql.jinja} with Python's Jinja2 (lea/scripts.py: {@code template.render(
 * env=os.environ, load_yaml=...)}), where a template may call Python's own methods on strings,
 * lists and dicts. lea-java renders with Jinjava: the idioms lea projects use give Jinja2's
 * output, and what Jinjava cannot do fails naming the construct and what to write instead.
 */
class JinjaIdiomsTest {

  @TempDir Path project;

  private JinjaRenderer renderer;

  @BeforeEach
  void open() throws Exception {
    Files.createDirectories(project.resolve("scripts/core"));
    Files.writeString(project.resolve("scripts/core/columns.yaml"), """
        columns: [id, name, price]
        renames: {id: order_id, name: customer}
        """);
    renderer = new JinjaRenderer(project, project.resolve("scripts"),
        Map.of("LEA_USERNAME", "max", "REGION", "eu"));
  }

  private String render(String template) throws Exception {
    Path file = project.resolve("scripts/core/t.sql.jinja");
    Files.writeString(file, template);
    return renderer.render(file, "scripts/core/t.sql.jinja");
  }

  @Test
  void pythonStrJoinOverAList() throws Exception {
    assertThat(render("{% set c = load_yaml('columns.yaml') %}SELECT {{ ', '.join(c.columns) }}"))
        .isEqualTo("SELECT id, name, price");
  }

  @Test
  void pythonStrMethods() throws Exception {
    assertThat(render("{{ env.REGION.upper() }} {{ 'EU'.lower() }} {{ 'order items'.title() }}"
        + " {{ 'abc'.capitalize() }} {{ '  x '.strip() }}|{{ 'xxaxx'.strip('x') }}"
        + "|{{ 'xa'.lstrip('x') }}|{{ 'ax'.rstrip('x') }}"))
        .isEqualTo("EU eu Order Items Abc x|a|a|a");
    assertThat(render("{{ 'stg_orders'.startswith('stg_') }} {{ 'a.csv'.endswith(('.csv', '.tsv')) }}"
        + " {{ 'a-b-c'.replace('-', '_', 1) }} {{ 'banana'.count('a') }} {{ 'abc'.find('c') }}"
        + " {{ '7'.zfill(3) }} {{ '42'.isdigit() }}"))
        .isEqualTo("true true a_b-c 3 2 007 true");
  }

  @Test
  void pythonStrSplitGivesAList() throws Exception {
    assertThat(render("{% for p in 'a, b,c'.split(',') %}[{{ p.strip() }}]{% endfor %}"
        + "{{ ' x  y '.split() | length }}{{ 'a,b,c'.split(',', 1) | last }}"))
        .isEqualTo("[a][b][c]2b,c");
  }

  @Test
  void pythonStrFormatWithPositionalFields() throws Exception {
    assertThat(render("{{ '{}_{}'.format('stg', 'orders') }} {{ '{1}{0}'.format('a', 'b') }}"))
        .isEqualTo("stg_orders ba");
  }

  @Test
  void dictItemsRangeAndLoopLast() throws Exception {
    assertThat(render("""
        {%- set c = load_yaml('columns.yaml') -%}
        SELECT {% for old, new in c.renames.items() %}{{ old }} AS {{ new }}\
        {% if not loop.last %}, {% endif %}{% endfor %}
        {%- for i in range(3) %} {{ i }}{{ ',' if not loop.last }}{% endfor %}"""))
        .isEqualTo("SELECT id AS order_id, name AS customer 0, 1, 2");
  }

  @Test
  void percentFormattingFailsSayingWhatToWrite() {
    assertThatThrownBy(() -> render("SELECT 1\n{{ '%s_%s' % ('a', 'b') }}"))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot render scripts/core/t.sql.jinja: Jinja error at line 2: Python's"
            + " % formatting of strings is not supported by lea-java's Jinja (Jinjava); write"
            + " '%s_%s'|format(a, b) instead. Fix the template and run again.");
  }

  @Test
  void anUnsupportedStrMethodIsNamedWithAnAlternative() {
    assertThatThrownBy(() -> render("{{ 'abc'.center(9) }}"))
        .hasMessage("Cannot render scripts/core/t.sql.jinja: Jinja error at line 1: str.center()"
            + " is not supported by lea-java's Jinja (Jinjava); write it with a Jinja filter"
            + " instead (the supported Python methods are listed under \"Coming from lea\" in"
            + " docs/guide.md). Fix the template and run again.");
  }

  @Test
  void aNamedFormatFieldIsNamedWithAnAlternative() {
    assertThatThrownBy(() -> render("{{ '{:>3}'.format('a') }}"))
        .hasMessageContaining("str.format() with '{:>3}' is not supported by lea-java's Jinja"
            + " (Jinjava): only {} and {0} fields are; write '%3s'|format(x) instead.");
  }

  @Test
  void pythonBuiltinsAreRefusedAsJinja2RefusesThem() {
    assertThatThrownBy(() -> render("{% for i, c in enumerate(cols) %}{% endfor %}"))
        .hasMessageContaining("enumerate() is not a Jinja function (Jinja2 has no Python"
            + " built-ins either); write loop.index0, |length, |string or |int instead.");
  }

  @Test
  void indexingAStringFailsInsteadOfRenderingNothing() {
    assertThatThrownBy(() -> render("SELECT '{{ env.REGION[0] }}'"))
        .hasMessageContaining("indexing a string with [0] is not supported by lea-java's Jinja"
            + " (Jinjava); write text[0:1] instead.");
  }

  @Test
  void everySupportedStrMethodIsListedInTheGuide() throws Exception {
    String guide = Files.readString(Path.of("..", "docs", "guide.md"));
    String jinja = guide.substring(guide.indexOf("### Jinja"));
    for (String method : PythonStrMethods.METHODS) {
      assertThat(jinja).as("docs/guide.md lists str.%s", method).contains("`" + method + "`");
    }
  }
}
