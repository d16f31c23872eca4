package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PgdbmException;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a write looks like and however it is sent, through {@code replica()} it fails and the primary is
 * unchanged — also when the reads have fallen back to the primary itself (here: no replica configured, the
 * case where only the connections' read-only default stands between the statement and the data).
 */
class ReplicaWritePropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;

    private static final List<String> WRITES = List.of(
            "INSERT INTO {{tables.items}} (id, name) VALUES (100, 'x')",
            "UPDATE {{tables.items}} SET name = 'changed'",
            "DELETE FROM {{tables.items}}",
            "MERGE INTO {{tables.items}} t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN DELETE",
            "TRUNCATE {{tables.items}}",
            "WITH gone AS (DELETE FROM {{tables.items}} RETURNING id) SELECT count(*) FROM gone",
            "SELECT nextval('{{tables.items_seq}}')",
            "SELECT setval('{{tables.items_seq}}', 1000)",
            "SELECT * FROM {{tables.items}} FOR UPDATE",
            "CREATE TABLE {{tables.other}} (x int)",
            "DROP TABLE {{tables.items}}",
            "ALTER TABLE {{tables.items}} ADD COLUMN extra int",
            "CREATE INDEX ON {{tables.items}} (name)",
            "COMMENT ON TABLE {{tables.items}} IS 'changed'",
            "INSERT INTO {{tables.items}} (id, name) SELECT g, 'n' FROM generate_series(200, 210) g");

    enum Route {
        AUTOCOMMIT,
        TRANSACTION,
        DSL,
        EXECUTE_MANY
    }

    @BeforeContainer
    static void start() {
        database = TestDatabaseFactory.shared().create();
        DatabaseManager primary = database.manager("shop");
        primary.execute("CREATE SCHEMA IF NOT EXISTS shop");
        primary.execute("CREATE TABLE {{tables.items}} (id int PRIMARY KEY, name text)");
        primary.execute("CREATE SEQUENCE {{tables.items_seq}}");
        primary.execute("INSERT INTO {{tables.items}} SELECT g, 'item ' || g FROM generate_series(1, 5) g");
        pool = SharedPool.create(database.config().build());
    }

    @AfterContainer
    static void stop() {
        if (pool != null) {
            pool.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static String state(DatabaseManager primary) {
        return primary.fetchValue(
                String.class,
                "SELECT (SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM {{tables.items}})"
                        + " || '|' || (SELECT last_value || '/' || is_called FROM {{tables.items_seq}})"
                        + " || '|' || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = 'shop')"
                        + " || '|' || coalesce(obj_description('shop.items'::regclass, 'pg_class'), '')"
                        + " || '|' || (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'shop')");
    }

    @Property(tries = 200)
    void aWriteThroughReplicaFailsAndLeavesThePrimaryAsItWas(@ForAll("writes") String sql, @ForAll Route route) {
        DatabaseManager primary = pool.manager("shop");
        DatabaseManager reads = primary.replica();
        String before = state(primary);
        Throwable thrown = catchThrowable(() -> {
            switch (route) {
                case AUTOCOMMIT -> reads.execute(sql);
                case TRANSACTION ->
                    reads.transaction(tx -> {
                        tx.execute(sql);
                    });
                case DSL -> reads.dsl().execute(reads.render(sql));
                case EXECUTE_MANY -> reads.executeMany(sql, List.of(List.of(), List.of()));
            }
        });
        assertThat(thrown)
                .as(route + ": " + sql)
                .isInstanceOfAny(PgdbmException.class, org.jooq.exception.DataAccessException.class);
        assertThat(thrown.getMessage()).as(route + ": " + sql).containsIgnoringCase("read-only transaction");
        assertThat(state(primary)).isEqualTo(before);
    }

    @Provide
    Arbitrary<String> writes() {
        return Combinators.combine(
                        Arbitraries.of(WRITES),
                        Arbitraries.of("", "/* tenant */ ", "-- note\n", "  "),
                        Arbitraries.of(true, false))
                .as((sql, prefix, upper) -> prefix
                        + (upper
                                ? sql.toUpperCase(Locale.ROOT)
                                        .replace("{{TABLES.", "{{tables.")
                                        .replace("ITEMS_SEQ}}", "items_seq}}")
                                        .replace("ITEMS}}", "items}}")
                                        .replace("OTHER}}", "other}}")
                                        .replace("'X'", "'x'")
                                        .replace("'CHANGED'", "'changed'")
                                        .replace("'N'", "'n'")
                                : sql));
    }
}
