package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lea.runner.AssertionTags.Kind;
import dev.lea.runner.AssertionTags.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssertionTagsTest {

  @Test
  void attachesACommentBlockToTheColumnEndingTheNextLine() {
    String sql = """
        SELECT
            -- The key.
            -- #UNIQUE
            -- #NO_NULLS
            id,
            -- #SET{'a', 'b'}
            LOWER(raw_kind) AS kind,   -- inline comments do not matter
            -- #UNIQUE_BY(kind)
            "Label",
            -- an expression without a name gets no tag
            amount + 1
        FROM core.things
        """;

    List<Tag> tags = AssertionTags.extract(sql, List.of("id", "kind", "Label"), "t.sql");

    assertThat(tags).extracting(Tag::column, Tag::kind, Tag::argument, Tag::line)
        .containsExactly(tuple("id", Kind.UNIQUE, null, 3), tuple("id", Kind.NO_NULLS, null, 4),
            tuple("kind", Kind.SET, "'a', 'b'", 6), tuple("Label", Kind.UNIQUE_BY, "kind", 8));
  }

  @Test
  void namesGeneratedTestsLikeLea() {
    Tag set = new Tag("university", Kind.SET, "'MIT'", 3);

    assertThat(AssertionTags.testName(TableName.parse("staging.students"), set))
        .hasToString("tests.staging__students__university___set");
    assertThat(AssertionTags.testName(TableName.parse("analytics.finance__kpis"),
        new Tag("n", Kind.UNIQUE_BY, "x", 1)))
        .hasToString("tests.analytics__finance__kpis__n___unique_by");
  }
}
