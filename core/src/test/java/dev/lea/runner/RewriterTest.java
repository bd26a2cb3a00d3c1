package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriterTest {

  private static int offset(String sql, String part) {
    return sql.substring(0, sql.indexOf(part)).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void replacesAtUtf8ByteOffsetsAndKeepsEverythingElse() {
    String sql = "SELECT 'é€' AS x, -- core.a\n  y FROM core.a JOIN \"core\" . \"a\" b ON true";
    String rewritten = Rewriter.apply(sql, List.of(
        new Rewriter.Edit(offset(sql, "core.a JOIN"), 2, "a", "\"core\".\"a___audit\" AS \"a\""),
        new Rewriter.Edit(offset(sql, "\"core\" ."), 2, "a", "\"core\".\"a___audit\"")));

    assertThat(rewritten).isEqualTo("SELECT 'é€' AS x, -- core.a\n  y FROM"
        + " \"core\".\"a___audit\" AS \"a\" JOIN \"core\".\"a___audit\" b ON true");
  }

  @Test
  void refusesToReplaceSomethingElseThanTheExpectedName() {
    String sql = "SELECT * FROM core.b";

    assertThatThrownBy(() -> Rewriter.apply(sql, List.of(
        new Rewriter.Edit(offset(sql, "core"), 2, "a", "x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("expected 'a' at byte 14 but found 'b'");
  }
}
