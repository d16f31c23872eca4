package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import io.pgdbm.postgres.PgBouncerServer;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Behind a transaction-mode pooler with one server session, no statement pgdbm accepts — in any spelling,
 * in or out of a transaction — leaves anything in that session for the next client: each either runs and
 * leaves nothing, or is refused before it reaches the server.
 */
class PoolerSessionPropertyTest {
    private static TestDatabase database;
    private static PgBouncerServer bouncer;
    private static SharedPool pool;

    /** Statements that may touch the session; {@code %u} is the session user. */
    private static final List<String> VOCABULARY = List.of(
            "SELECT 1",
            "SET statement_timeout = 1000",
            "SET SESSION work_mem = '2MB'",
            "SET LOCAL work_mem = '2MB'",
            "SET ROLE %u",
            "SET SESSION AUTHORIZATION %u",
            "RESET work_mem",
            "SELECT set_config('work_mem', '3MB', false)",
            "SELECT set_config('work_mem', '3MB', true)",
            "SELECT pg_advisory_lock(7)",
            "SELECT pg_try_advisory_lock(8)",
            "SELECT pg_advisory_xact_lock(9)",
            "LISTEN channel_a",
            "CREATE TEMP TABLE tmp_x (x int)",
            "CREATE TEMPORARY TABLE IF NOT EXISTS tmp_y (x int)",
            "SELECT * INTO TEMP tmp_z FROM generate_series(1, 2) AS g",
            "SET search_path TO pg_temp, public",
            "DISCARD ALL",
            "SELECT setseed(0.5)");

    record Step(String sql, boolean inTransaction) {}

    @BeforeContainer
    static void start() throws Exception {
        Optional<Path> binary = PgBouncerServer.binary();
        if (binary.isEmpty()) {
            return; // each try says so below
        }
        database = TestDatabaseFactory.shared().create();
        bouncer = PgBouncerServer.start(database.server(), 1);
        pool = SharedPool.create(PgBouncerTest.pooledConfig(bouncer, database).build());
    }

    @AfterContainer
    static void stop() {
        if (pool != null) {
            pool.close();
        }
        if (bouncer != null) {
            bouncer.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Property(tries = 150)
    void noAcceptedStatementLeavesSessionStateBehind(@ForAll("steps") List<Step> steps) {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                pool != null, "PgBouncer is not installed (apt-get install pgbouncer; .ci/run installs it)");
        DatabaseManager db = pool.manager("public");
        String user = database.server().user();
        for (Step step : steps) {
            String sql = step.sql().replace("%u", '"' + user + '"');
            try {
                if (step.inTransaction()) {
                    db.transaction(tx -> {
                        tx.execute(sql);
                    });
                } else {
                    db.execute(sql);
                }
            } catch (QueryException e) {
                assertThat(e).as(sql).hasMessageContaining("transaction-mode pooler");
            }
        }
        assertThat(db.fetchValue(
                        String.class,
                        "SELECT coalesce(string_agg(name, ', '), '') FROM pg_settings WHERE source = 'session'"
                                + " AND name NOT IN ('application_name', 'client_encoding', 'DateStyle', 'TimeZone',"
                                + " 'extra_float_digits')"))
                .as("settings changed in the server session")
                .isEmpty();
        assertThat(db.fetchValue(Boolean.class, "SELECT current_user = session_user"))
                .isTrue();
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM pg_listening_channels()"))
                .isZero();
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM pg_prepared_statements"))
                .isZero();
        DatabaseManager direct = database.manager();
        assertThat(direct.fetchValue(Long.class, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                .isZero();
        assertThat(direct.fetchValue(Long.class, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'"))
                .isZero();
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> statement = Arbitraries.of(VOCABULARY);
        Arbitrary<String> prefix = Arbitraries.of("", "  ", "/* tenant 7 */ ", "-- note\n", "\n\t");
        Arbitrary<Boolean> upper = Arbitraries.of(true, false);
        Arbitrary<String> spelled =
                Combinators.combine(statement, prefix, upper).as((sql, lead, caps) -> lead + respelled(sql, caps));
        return Combinators.combine(spelled, Arbitraries.of(true, false))
                .as(Step::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }

    /** Upper- or lower-cases everything outside quotes, so that literals keep their meaning. */
    private static String respelled(String sql, boolean upper) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'' || c == '"') {
                quoted = !quoted;
            }
            out.append(quoted ? c : upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }
}
