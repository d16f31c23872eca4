package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PgdbmException;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Tenants that change their session: random session-changing statements, run by random managers (with and
 * without a schema) through every way pgdbm runs SQL — plain verbs, prepared queries, {@code dsl()},
 * transactions, the transaction's raw connection, a raw pooled connection. After each statement every
 * connection of the pool, held at once, must be exactly as a fresh one: settings, role, search_path,
 * advisory locks, listeners, cursors, temporary tables, prepared statements, transaction state.
 */
class SessionStatePropertyTest {
    private static final String ROLE =
            "pgdbm_tenant_" + UUID.randomUUID().toString().substring(0, 8);
    private static TestDatabase database;
    private static SharedPool pool;
    private static List<DatabaseManager> managers;
    private static Map<String, String> baseline;
    private static final AtomicInteger statements = new AtomicInteger();

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = SharedPool.create(database.config()
                .minConnections(2)
                .maxConnections(2)
                .statementTimeout(Duration.ofSeconds(20))
                .lockTimeout(Duration.ofSeconds(3))
                .initSql("SET work_mem = '6MB'")
                .build());
        DatabaseManager admin = pool.manager();
        admin.execute("CREATE ROLE " + ROLE);
        admin.execute("GRANT " + ROLE + " TO CURRENT_USER");
        managers = new ArrayList<>();
        managers.add(admin);
        for (String schema : List.of("tenant_a", "tenant_b")) {
            DatabaseManager tenant = pool.manager(schema);
            tenant.ensureSchema();
            tenant.execute("CREATE OR REPLACE FUNCTION {{schema}}.mark(v text) RETURNS text LANGUAGE sql"
                    + " AS $$ SELECT set_config('app.tenant', v, false) $$");
            managers.add(tenant);
        }
        baseline = snapshots().get(0);
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(SessionStatePropertyTest.class)
                .info(
                        "Session state: {} session-changing statements, every connection checked after each",
                        statements.get());
        if (pool != null) {
            pool.manager().execute("DROP OWNED BY " + ROLE + "; DROP ROLE " + ROLE);
            pool.close();
        }
        if (database != null) {
            database.close();
        }
    }

    enum Path {
        EXECUTE,
        FETCH_VALUE,
        PREPARED,
        DSL,
        TRANSACTION,
        TRANSACTION_CONNECTION,
        RAW_CONNECTION
    }

    record Step(int manager, String sql, Path path, boolean needsTransaction) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        return step().list().ofMinSize(1).ofMaxSize(5);
    }

    private static Arbitrary<Step> step() {
        Arbitrary<Integer> n = Arbitraries.integers().between(1, 9999);
        Arbitrary<String> value = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> schema = Arbitraries.of("tenant_a", "tenant_b", "pg_catalog", "public");
        Arbitrary<String> statement = Arbitraries.oneOf(
                n.map(ms -> "SET statement_timeout = " + ms),
                n.map(ms -> "SET lock_timeout = '" + ms + "ms'"),
                n.map(mb -> "SET work_mem = '" + (mb % 64 + 1) + "MB'"),
                schema.map(s -> "SET search_path TO " + s),
                schema.map(s -> "SELECT set_config('search_path', '" + s + "', false)"),
                value.map(v -> "SELECT set_config('app.tenant', '" + v + "', false)"),
                Arbitraries.of("UTC", "Asia/Tokyo", "America/Lima").map(tz -> "SET TIME ZONE '" + tz + "'"),
                Arbitraries.just("SET ROLE " + ROLE),
                Arbitraries.just("SET SESSION AUTHORIZATION " + ROLE),
                Arbitraries.just("SET default_transaction_read_only = on"),
                Arbitraries.just("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
                Arbitraries.just("SET application_name = 'tenant'"),
                n.map(k -> "SELECT pg_advisory_lock(" + k + ")"),
                n.map(k -> "SELECT pg_try_advisory_lock(" + k + ", 1)"),
                n.map(k -> "LISTEN channel_" + k),
                n.map(k -> "CREATE TEMP TABLE scratch_" + k + " (x int)"),
                n.map(k -> "PREPARE statement_" + k + " AS SELECT 1"),
                value.map(v -> "DO $$ BEGIN PERFORM set_config('app.tenant', '" + v + "', false); END $$"),
                value.map(v -> "SELECT tenant_a.mark('" + v + "')"),
                n.map(k -> "DECLARE cursor_" + k + " CURSOR WITH HOLD FOR SELECT " + k),
                Arbitraries.just("BEGIN"));
        return Combinators.combine(Arbitraries.integers().between(0, 2), statement, Arbitraries.of(Path.class))
                .as((manager, sql, path) -> {
                    boolean inTransaction = sql.startsWith("DECLARE");
                    Path chosen = inTransaction && path != Path.TRANSACTION_CONNECTION ? Path.TRANSACTION : path;
                    if (sql.equals("BEGIN") && (chosen == Path.TRANSACTION || chosen == Path.TRANSACTION_CONNECTION)) {
                        chosen = Path.EXECUTE; // refused inside transaction(), by design
                    }
                    return new Step(manager, sql, chosen, inTransaction);
                });
    }

    private static void run(Step step) throws SQLException {
        DatabaseManager db = managers.get(step.manager());
        String sql = step.sql();
        switch (step.path()) {
            case EXECUTE -> db.execute(sql);
            case FETCH_VALUE -> db.fetchOne(sql);
            case PREPARED -> db.prepare(sql).execute();
            case DSL -> db.dsl().execute(sql);
            case TRANSACTION -> db.transaction(tx -> tx.execute(sql));
            case TRANSACTION_CONNECTION ->
                db.transaction(tx -> {
                    try (Statement statement = tx.connection().createStatement()) {
                        statement.execute(sql);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
            case RAW_CONNECTION -> {
                try (Connection connection = pool.acquire();
                        PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.execute();
                }
            }
        }
    }

    @Property(tries = 300)
    void noConnectionKeepsWhatABorrowerChanged(@ForAll("steps") List<Step> steps) throws SQLException {
        for (Step step : steps) {
            statements.incrementAndGet();
            try {
                run(step);
            } catch (PgdbmException | IllegalStateException | SQLException refused) {
                // a statement the server refused (a lock timeout, a read-only transaction, …) changes nothing
            }
            for (Map<String, String> state : snapshots()) {
                assertThat(state).as("after %s", step).isEqualTo(baseline);
            }
        }
    }

    /** The session state of every pooled connection, borrowed all at once. */
    private static List<Map<String, String>> snapshots() {
        List<Map<String, String>> states = new ArrayList<>();
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(pool.dataSource().getConnection());
            }
            for (Connection connection : held) {
                states.add(snapshot(connection));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            for (Connection connection : held) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // evicted by the pool
                }
            }
        }
        return states;
    }

    private static Map<String, String> snapshot(Connection connection) throws SQLException {
        Map<String, String> state = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT"
                        + " current_setting('statement_timeout'), current_setting('lock_timeout'),"
                        + " current_setting('work_mem'), current_setting('search_path'), current_setting('TimeZone'),"
                        + " coalesce(current_setting('app.tenant', true), ''), current_user::text, session_user::text,"
                        + " current_setting('default_transaction_read_only'),"
                        + " current_setting('default_transaction_isolation'), current_setting('application_name'),"
                        + " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()),"
                        + " (SELECT count(*) FROM pg_listening_channels()),"
                        + " (SELECT count(*) FROM pg_cursors WHERE is_holdable),"
                        + " (SELECT count(*) FROM pg_prepared_statements WHERE from_sql),"
                        + " (SELECT count(*) FROM pg_class WHERE relpersistence = 't'"
                        + "     AND relnamespace = pg_my_temp_schema())");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            String[] names = {
                "statement_timeout",
                "lock_timeout",
                "work_mem",
                "search_path",
                "TimeZone",
                "app.tenant",
                "current_user",
                "session_user",
                "default_transaction_read_only",
                "default_transaction_isolation",
                "application_name",
                "advisory locks",
                "listeners",
                "holdable cursors",
                "SQL prepared statements",
                "temporary tables"
            };
            for (int i = 0; i < names.length; i++) {
                state.put(names[i], rs.getString(i + 1));
            }
        }
        state.put(
                "autocommit transaction open",
                String.valueOf(connection
                                .unwrap(org.postgresql.core.BaseConnection.class)
                                .getTransactionState()
                        != org.postgresql.core.TransactionState.IDLE));
        return state;
    }
}
