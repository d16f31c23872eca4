package io.pgdbm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.IdentifierException;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SqlTemplateTest {

    @Test
    void tablesExpandToTheQuotedSchemaAndTheUnquotedTable() {
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.users}}", "app"))
                .isEqualTo("SELECT * FROM \"app\".users");
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.users}} u JOIN {{tables.orders}} o ON true", "s1"))
                .isEqualTo("SELECT * FROM \"s1\".users u JOIN \"s1\".orders o ON true");
    }

    @Test
    void withoutSchemaTablesAreUnqualifiedAndSchemaDotIsDropped() {
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.users}}", null)).isEqualTo("SELECT * FROM users");
        assertThat(SqlTemplate.render("CREATE TYPE {{schema}}.status AS ENUM ('a')", null))
                .isEqualTo("CREATE TYPE status AS ENUM ('a')");
        assertThat(SqlTemplate.render("SELECT '{{schema}}'", null)).isEqualTo("SELECT ''");
    }

    @Test
    void schemaExpandsQuoted() {
        assertThat(SqlTemplate.render("CREATE TYPE {{schema}}.status AS ENUM ('a')", "billing"))
                .isEqualTo("CREATE TYPE \"billing\".status AS ENUM ('a')");
    }

    @Test
    void explicitSchemaTableNamesAnotherSchemaWhateverTheManagersSchema() {
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.users.accounts}}", "orders"))
                .isEqualTo("SELECT * FROM \"users\".accounts");
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.users.accounts}}", null))
                .isEqualTo("SELECT * FROM \"users\".accounts");
    }

    @Test
    void otherBracesAreLeftAloneAsPgdbmLeavesThem() {
        String sql = "SELECT '{{name}}', '{{', '}}' , '{{tables}}'";
        assertThat(SqlTemplate.render(sql, "s")).isEqualTo(sql);
    }

    @Test
    void badNamesInTemplatesAreRejected() {
        assertThatThrownBy(() -> SqlTemplate.render("SELECT * FROM {{tables.bad-name}}", "s"))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("{{tables.bad-name}}");
        assertThatThrownBy(() -> SqlTemplate.render("SELECT * FROM {{tables.a.b.c}}", "s"))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("too many parts");
        assertThatThrownBy(() -> SqlTemplate.render("SELECT * FROM {{tables.x; DROP TABLE y}}", "s"))
                .isInstanceOf(IdentifierException.class);
        assertThatThrownBy(() -> SqlTemplate.render("SELECT * FROM {{ tables.users }}", "s"))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("write {{tables.users}}");
    }

    @Test
    void renderedSqlTouchesOnlyTheManagersSchemaOnTheServer(SharedPool pool) {
        DatabaseManager a = pool.manager("tmpl_a");
        DatabaseManager b = pool.manager("tmpl_b");
        for (DatabaseManager db : new DatabaseManager[] {a, b}) {
            db.ensureSchema();
            db.execute("CREATE TYPE {{schema}}.mood AS ENUM ('happy', 'sad')");
            db.execute("CREATE TABLE {{tables.notes}} (id serial PRIMARY KEY, mood {{schema}}.mood, body text)");
        }
        a.execute("INSERT INTO {{tables.notes}} (mood, body) VALUES ($1, $2)", "happy", "in a");
        assertThat(a.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}"))
                .isEqualTo(1L);
        assertThat(b.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}"))
                .isZero();
        assertThat(b.fetchValue(Long.class, "SELECT count(*) FROM {{tables.tmpl_a.notes}}"))
                .isEqualTo(1L);
        assertThat(a.render("SELECT * FROM {{tables.notes}}")).isEqualTo("SELECT * FROM \"tmpl_a\".notes");
    }

    @Test
    void statementsAreRenderedOnceAndTheCacheIsBounded() {
        StatementCache cache = new StatementCache("s", 4, java.util.Set.of());
        StatementCache.Entry first = cache.get("SELECT * FROM {{tables.t}} WHERE id = $1");
        assertThat(cache.get("SELECT * FROM {{tables.t}} WHERE id = $1")).isSameAs(first);
        assertThat(first.renderedSql()).isEqualTo("SELECT * FROM \"s\".t WHERE id = $1");
        assertThat(first.parsed().jdbcSql()).isEqualTo("SELECT * FROM \"s\".t WHERE id = ?");
        for (int i = 0; i < 50; i++) {
            cache.get("SELECT " + i);
            assertThat(cache.size()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void theCacheIsBoundedBySizeToo() {
        StatementCache cache = new StatementCache("s", 2048, java.util.Set.of());
        String padding = "-- " + "x".repeat(60_000) + "\n";
        for (int i = 0; i < 300; i++) {
            cache.get(padding + "SELECT " + i);
            assertThat(cache.chars()).isLessThanOrEqualTo(StatementCache.MAX_CHARS);
        }
        assertThat(cache.size()).isLessThan(300);
        // a statement past the per-statement bound is processed, not kept
        StatementCache.Entry huge = cache.get("SELECT 1 -- " + "y".repeat(StatementCache.MAX_STATEMENT_CHARS));
        assertThat(huge.parsed().jdbcSql()).startsWith("SELECT 1");
        assertThat(cache.get("SELECT 1 -- " + "y".repeat(StatementCache.MAX_STATEMENT_CHARS)))
                .isNotSameAs(huge);
    }

    @Test
    void reservedWordsAsTableNamesAreQuotedWithAndWithoutASchema() {
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.order}} JOIN {{tables.User}} u ON true", null))
                .isEqualTo("SELECT * FROM \"order\" JOIN \"user\" u ON true");
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.order}}", "shop"))
                .isEqualTo("SELECT * FROM \"shop\".\"order\"");
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.other.group}}", "shop"))
                .isEqualTo("SELECT * FROM \"other\".\"group\"");
        assertThat(SqlTemplate.render("SELECT * FROM {{tables.orders}}", null)).isEqualTo("SELECT * FROM orders");
    }
}
