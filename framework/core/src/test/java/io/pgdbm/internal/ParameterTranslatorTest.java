package io.pgdbm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.ErrorCode;
import io.pgdbm.PostgresExtension;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import java.util.List;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ParameterTranslatorTest {
    private static DatabaseManager db;

    @BeforeAll
    static void createTable(SharedPool pool) {
        db = pool.manager("params");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.docs}} (id int PRIMARY KEY, data jsonb, tags text[])");
        db.execute("INSERT INTO {{tables.docs}} VALUES (1, '{\"a\": 1, \"b\": 2}', '{x,y}'), (2, '{\"c\": 3}', '{z}')");
    }

    private static ParsedSql translate(String sql) {
        return ParameterTranslator.translate(sql);
    }

    @Test
    void dollarPlaceholdersMayRepeatAndComeInAnyOrder() {
        ParsedSql parsed = translate("SELECT $2, $1, $2");
        assertThat(parsed.jdbcSql()).isEqualTo("SELECT ?, ?, ?");
        assertThat(parsed.argumentOrder()).containsExactly(1, 0, 1);
        assertThat(parsed.argumentCount()).isEqualTo(2);
        Record row = db.fetchOne("SELECT $2::text AS b, $1::int AS a, $2::text AS b2", 7, "x")
                .orElseThrow();
        assertThat(row.get("a", Integer.class)).isEqualTo(7);
        assertThat(row.get("b", String.class)).isEqualTo("x");
        assertThat(row.get("b2", String.class)).isEqualTo("x");
    }

    @Test
    void twoDigitPlaceholdersAreNotReadAsOneDigit() {
        Object[] args = new Object[11];
        for (int i = 0; i < 11; i++) {
            args[i] = i + 1;
        }
        assertThat(db.fetchValue(
                        Integer.class, "SELECT $11::int + $1::int - $2 + $3 - $4 + $5 - $6 + $7 - $8 + $9 - $10", args))
                .isEqualTo(11 + 1 - 2 + 3 - 4 + 5 - 6 + 7 - 8 + 9 - 10);
    }

    @Test
    void placeholdersInsideStringsDollarQuotesAndCommentsAreText() {
        String sql = """
                SELECT '$1 and ? in a string' AS s,        -- $2 and ? in a line comment
                       E'it\\'s \\\\ $1 ?' AS e, 'it''s' AS d2,  /* $3 /* nested $4 ? */ still comment ? */
                       $$ $1 ? body $$ AS d,
                       $tag$ $2 $$ ? $tag$ AS t,
                       "col?$1" AS q
                FROM (SELECT 1 AS "col?$1") x
                WHERE $1::int = 1
                """;
        ParsedSql parsed = translate(sql);
        assertThat(parsed.argumentCount()).isEqualTo(1);
        assertThat(parsed.argumentOrder()).containsExactly(0);
        Record row = db.fetchOne(sql, 1).orElseThrow();
        assertThat(row.get("s", String.class)).isEqualTo("$1 and ? in a string");
        assertThat(row.get("e", String.class)).isEqualTo("it's \\ $1 ?");
        assertThat(row.get("d2", String.class)).isEqualTo("it's");
        assertThat(row.get("d", String.class)).isEqualTo(" $1 ? body ");
        assertThat(row.get("t", String.class)).isEqualTo(" $2 $$ ? ");
    }

    @Test
    void jsonbQuestionOperatorsAreNotPlaceholders() {
        assertThat(translate("SELECT data ? 'a' FROM t WHERE id = $1").jdbcSql())
                .isEqualTo("SELECT data ?? 'a' FROM t WHERE id = ?");
        assertThat(db.fetchAll("SELECT id FROM {{tables.docs}} WHERE data ? $1 ORDER BY id", "a")
                        .getValues("id", Integer.class))
                .containsExactly(1);
        assertThat(db.fetchAll("SELECT id FROM {{tables.docs}} WHERE data ?| $1 ORDER BY id", List.of("a", "c"))
                        .getValues("id", Integer.class))
                .containsExactly(1, 2);
        assertThat(db.fetchAll("SELECT id FROM {{tables.docs}} WHERE data ?& $1::text[] ORDER BY id", List.of("a", "b"))
                        .getValues("id", Integer.class))
                .containsExactly(1);
        assertThat(db.fetchValue(Boolean.class, "SELECT '{\"k\":1}'::jsonb ? 'k'"))
                .isTrue();
    }

    @Test
    void questionMarkPlaceholdersWorkAndSitBesideJsonbOperators() {
        assertThat(translate("SELECT * FROM t WHERE data ? ? AND id = ?").jdbcSql())
                .isEqualTo("SELECT * FROM t WHERE data ?? ? AND id = ?");
        assertThat(db.fetchAll("SELECT id FROM {{tables.docs}} WHERE data ? ? AND id >= ? ORDER BY id", "c", 1)
                        .getValues("id", Integer.class))
                .containsExactly(2);
        assertThat(db.fetchValue(
                        Integer.class, "SELECT count(*)::int FROM {{tables.docs}} WHERE id IN (?, ?) LIMIT ?", 1, 2, 5))
                .isEqualTo(2);
        assertThat(db.fetchValue(Boolean.class, "SELECT '{\"k\":1}'::jsonb ?? ?", "k"))
                .isTrue();
    }

    @Test
    void mixingPlaceholderStylesIsAnErrorBeforeTheServerIsContacted() {
        assertThatThrownBy(() -> db.execute("SELECT $1, ?", 1, 2))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("mixes $n and ?");
    }

    @Test
    void wrongArgumentCountsAreErrorsBeforeTheServerIsContacted() {
        assertThatThrownBy(() -> db.execute("SELECT $1, $2", 1))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("expects 2 arguments but 1 was given");
        assertThatThrownBy(() -> db.execute("SELECT ?", 1, 2))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("expects 1 argument but 2 were given");
        assertThatThrownBy(() -> db.execute("SELECT 1", "extra"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("expects 0 arguments");
        assertThatThrownBy(() -> db.execute("SELECT $1, $3", 1, 2, 3))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("$2 is never used");
        assertThatThrownBy(() -> db.execute("SELECT $0", 1))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("start at $1");
        QueryException error = org.assertj.core.api.Assertions.catchThrowableOfType(
                QueryException.class, () -> db.execute("SELECT $1, $2", 1));
        assertThat(error.sqlState()).isEmpty();
        assertThat(error.code()).isEqualTo(ErrorCode.QUERY);
    }

    @Test
    void dollarSignsInsideIdentifiersAreNotPlaceholders() {
        assertThat(translate("SELECT a$1 FROM t WHERE b = $1").jdbcSql()).isEqualTo("SELECT a$1 FROM t WHERE b = ?");
        assertThat(translate("SELECT a$1 FROM t WHERE b = $1").argumentCount()).isEqualTo(1);
    }

    @Test
    void unterminatedQuotesDoNotHideLaterText() {
        // The scanner does not loop or throw on broken SQL; the server reports the syntax error.
        assertThat(translate("SELECT 'oops").jdbcSql()).isEqualTo("SELECT 'oops");
        assertThat(translate("SELECT /* open").jdbcSql()).isEqualTo("SELECT /* open");
        assertThatThrownBy(() -> db.execute("SELECT 'oops"))
                .isInstanceOf(QueryException.class)
                .satisfies(e -> assertThat(((QueryException) e).sqlState()).contains("42601"));
    }

    @Test
    void aLineCommentEndsAtACarriageReturnAsTheServerEndsIt() {
        ParsedSql parsed = translate("SELECT $1 -- first\r, $2 AS second");
        assertThat(parsed.argumentCount()).isEqualTo(2);
        assertThat(db.fetchOne("SELECT $1::int AS a -- a comment\r, $2::int AS b", 1, 2)
                        .orElseThrow()
                        .intoMap())
                .containsEntry("a", 1)
                .containsEntry("b", 2);
    }

    @Test
    void jsonbOperatorsFollowColumnsNamedLikeKeywordsQualifiedNamesSubscriptsAndCalls() {
        for (String column : List.of(
                "filter", "rows", "first", "next", "zone", "over", "within", "values", "default", "array", "row", "to",
                "set", "as", "is")) {
            String sql = "SELECT " + column + " ? 'a' FROM t WHERE id = $1";
            assertThat(translate(sql).jdbcSql()).as(sql).isEqualTo("SELECT " + column + " ?? 'a' FROM t WHERE id = ?");
        }
        assertThat(translate("SELECT d.rows ? 'a', d.filter ?| array['a'] FROM t d WHERE d.id = $1")
                        .jdbcSql())
                .isEqualTo("SELECT d.rows ?? 'a', d.filter ??| array['a'] FROM t d WHERE d.id = ?");
        assertThat(translate("SELECT \"from\" ? 'a', doc['k'] ? 'a', f(x) ?& array['a'] FROM t WHERE id = $1")
                        .jdbcSql())
                .isEqualTo("SELECT \"from\" ?? 'a', doc['k'] ?? 'a', f(x) ??& array['a'] FROM t WHERE id = ?");
        // where a keyword takes a value, ? stays a placeholder
        assertThat(translate("SELECT * FROM t ORDER BY id OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")
                        .argumentCount())
                .isEqualTo(2);
        assertThat(translate("SELECT now() AT TIME ZONE ?, x SIMILAR TO ? FROM t")
                        .argumentCount())
                .isEqualTo(2);
        assertThat(translate("SELECT extract(year FROM ?), substring(? FROM 1 FOR ?)")
                        .argumentCount())
                .isEqualTo(3);
    }

    @Test
    void jsonbOperatorsRunAgainstColumnsNamedLikeKeywords() {
        db.transaction(tx -> {
            tx.execute("CREATE TEMP TABLE docs (filter jsonb, rows jsonb)");
            tx.execute("INSERT INTO docs VALUES ($1, $2)", "{\"a\": 1}", "{\"b\": 2}");
            assertThat(tx.fetchValue(Boolean.class, "SELECT filter ? 'a' FROM docs WHERE rows ? $1", "b"))
                    .isTrue();
            assertThat(tx.fetchValue(Boolean.class, "SELECT d.rows ? 'a' FROM docs d"))
                    .isFalse();
        });
    }
}
