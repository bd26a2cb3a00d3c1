package dev.lea.runner;

import dev.lea.runner.AssertionTags.Tag;
import dev.lea.runner.SqlParser.ParsedQuery;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One unit of a run: a script that becomes a table, a singular test from {@code tests/}, or a test
 * generated from an assertion tag.
 *
 * @param label where it comes from, for messages: {@code scripts/core/orders.sql}
 * @param templated whether {@link #sql} was rendered from Jinja, so its lines may not be the file's
 * @param folders the folders under the scripts folder, for {@code core/} selections
 * @param dependencies the tables of other scripts it reads
 * @param hash SHA-256 of the SQL, recorded with the published table
 * @param modified when the script file last changed (lea's {@code updated_at}); {@code null} for
 *     tests generated from tags
 */
record Node(TableName name, boolean test, String label, boolean templated, List<String> folders,
    String sql, ParsedQuery parsed, Set<TableName> dependencies, List<Tag> tags, String hash,
    Instant modified) {

  String lineOf(int line) {
    String[] lines = sql.split("\r?\n", -1);
    return line >= 1 && line <= lines.length ? lines[line - 1].strip() : "";
  }
}
