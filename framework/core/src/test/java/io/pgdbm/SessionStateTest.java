package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.migrations.MigrationManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pooled connection goes back exactly as the pool handed it out, whatever a borrower changed in its
 * session. The pools here hold one connection, so every borrow gets the connection the last one used.
 */
@ExtendWith(PostgresExtension.class)
class SessionStateTest {
    private static final String ROLE =
            "pgdbm_limited_" + UUID.randomUUID().toString().substring(0, 8);
    private static TestDatabase database;

    @BeforeAll
    static void setUp(TestDatabase db) {
        database = db;
        database.sql("CREATE ROLE " + ROLE);
        database.sql("GRANT " + ROLE + " TO CURRENT_USER");
        database.sql("CREATE SCHEMA IF NOT EXISTS a; CREATE SCHEMA IF NOT EXISTS b;"
                + " CREATE TABLE IF NOT EXISTS public.items (name text);"
                + " CREATE TABLE IF NOT EXISTS b.items (name text);"
                + " INSERT INTO public.items VALUES ('public'); INSERT INTO b.items VALUES ('b')");
    }

    @AfterAll
    static void dropRole() {
        database.sql("DROP OWNED BY " + ROLE + "; DROP ROLE " + ROLE);
    }

    /** One connection, so the next borrow surely gets the connection the previous one left. */
    private static SharedPool onePool() {
        return SharedPool.create(database.config()
                .minConnections(1)
                .maxConnections(1)
                .statementTimeout(Duration.ofSeconds(30))
                .build());
    }

    private record Session(String tenant, String searchPath, String statementTimeout, String user) {}

    private static Session session(DatabaseManager db) {
        return db.fetchOne(
                        Session.class,
                        "SELECT coalesce(current_setting('app.tenant', true), '') AS tenant,"
                                + " current_setting('search_path') AS search_path,"
                                + " current_setting('statement_timeout') AS statement_timeout,"
                                + " current_user::text AS user")
                .orElseThrow();
    }

    @Test
    void settingsRoleAndSearchPathOfOneTenantDoNotReachTheNext() {
        try (SharedPool pool = onePool()) {
            DatabaseManager tenantA = pool.manager("a");
            DatabaseManager tenantB = pool.manager("b");
            Session before = session(tenantB);

            tenantA.fetchValue(String.class, "SELECT set_config('app.tenant', 'a', false)");
            tenantA.execute("SET search_path TO a");
            tenantA.execute("SET statement_timeout = 0");
            tenantA.execute("SET ROLE " + ROLE);

            Session after = session(tenantB);
            assertThat(after).isEqualTo(before);
            assertThat(after.statementTimeout()).isEqualTo("30s");
            assertThat(after.tenant()).isEmpty();
        }
    }

    @Test
    void aManagerWithoutSchemaReadsPublicAfterAnotherSetTheSearchPath() {
        try (SharedPool pool = onePool()) {
            pool.manager("b").execute("SET search_path TO b");
            assertThat(pool.manager().fetchValue(String.class, "SELECT name FROM items"))
                    .isEqualTo("public");
        }
    }

    @Test
    void aMigrationThatTurnsTheTimeoutOffLeavesThePooledConnectionWithItsTimeout(@TempDir Path folder)
            throws Exception {
        Files.writeString(
                folder.resolve("001_no_timeout.sql"),
                "SET statement_timeout = 0;\nSET lock_timeout = 0;\nCREATE TABLE {{tables.t}} (x int);\n");
        try (SharedPool pool = SharedPool.create(database.config()
                .minConnections(2)
                .maxConnections(2)
                .statementTimeout(Duration.ofSeconds(30))
                .build())) {
            DatabaseManager db = pool.manager("migrated_" + Long.toHexString(System.nanoTime()));
            MigrationManager.of(db, folder.toString(), "m").applyPending();
            // every connection of the pool, held at once, so the one Flyway used is among them
            try (Connection first = pool.acquire();
                    Connection second = pool.acquire()) {
                for (Connection connection : List.of(first, second)) {
                    try (Statement statement = connection.createStatement();
                            ResultSet rs = statement.executeQuery(
                                    "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo("30s");
                        assertThat(rs.getString(2)).isEqualTo("5s");
                    }
                }
            }
        }
    }

    @Test
    void locksListenersCursorsTemporaryTablesAndPreparedStatementsAreGoneForTheNextBorrower() {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager();
            db.fetchValue(Boolean.class, "SELECT pg_try_advisory_lock(4242) ");
            db.execute("LISTEN tenant_channel");
            db.execute("CREATE TEMP TABLE scratch (x int)");
            db.execute("PREPARE leaked AS SELECT 1");
            db.transaction(tx -> tx.execute("DECLARE held CURSOR WITH HOLD FOR SELECT 1"));
            db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");

            assertThat(db.fetchValue(
                            Long.class,
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"))
                    .isZero();
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM pg_listening_channels()"))
                    .isZero();
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM pg_cursors WHERE name = 'held'"))
                    .isZero();
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'leaked'"))
                    .isZero();
            assertThat(db.fetchValue(String.class, "SELECT to_regclass('pg_temp.scratch')::text"))
                    .isNull();
            assertThat(db.fetchValue(String.class, "SHOW default_transaction_isolation"))
                    .isEqualTo("read committed");
        }
    }

    @Test
    void sessionStateSetInsideATransactionIsResetAfterItCommits() {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager("a");
            db.transaction(tx -> {
                tx.execute("SET statement_timeout = 0");
                tx.execute("SET LOCAL lock_timeout = 0");
            });
            assertThat(db.fetchValue(String.class, "SHOW statement_timeout")).isEqualTo("30s");
            assertThat(db.fetchValue(String.class, "SHOW lock_timeout")).isEqualTo("5s");
        }
    }

    @Test
    void transactionLocalSettingsCostNoReset() throws Exception {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager("a");
            int pid = backendOf(db);
            db.transaction(tx -> tx.fetchValue(String.class, "SELECT set_config('app.tenant', $1, true)", "a"));
            assertThat(lastStatementOf(pid)).isEqualTo("COMMIT");
            assertThat(session(db).tenant()).isEmpty();
        }
    }

    @Test
    void statementsThroughDslAndPlainJdbcAreResetToo() {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager("a");
            db.dsl().execute("SET statement_timeout = 0");
            assertThat(db.fetchValue(String.class, "SHOW statement_timeout")).isEqualTo("30s");

            db.dsl().select(DSL.field("set_config('app.tenant', 'x', false)")).fetch();
            assertThat(session(db).tenant()).isEmpty();

            db.transaction(tx -> {
                try (Statement statement = tx.connection().createStatement()) {
                    statement.execute("SET search_path TO a");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(session(db).searchPath()).isEqualTo("\"$user\", public");

            try (Connection connection = pool.acquire();
                    Statement statement = connection.createStatement()) {
                statement.execute("SET ROLE " + ROLE);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            assertThat(session(db).user()).isNotEqualTo(ROLE);

            try (Connection connection = pool.dataSource().getConnection()) {
                connection.setSchema("b");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            assertThat(session(db).searchPath()).isEqualTo("\"$user\", public");
        }
    }

    @Test
    void aFunctionCallThatIsNotBuiltInIsTreatedAsChangingTheSession() {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager("a");
            db.execute("CREATE OR REPLACE FUNCTION a.leak() RETURNS text LANGUAGE sql"
                    + " AS $$ SELECT set_config('app.tenant', 'leaked', false) $$");
            db.fetchValue(String.class, "SELECT {{schema}}.leak()");
            assertThat(session(pool.manager("b")).tenant()).isEmpty();
        }
    }

    @Test
    void aTransactionOpenedByHandInAutocommitIsRolledBackNotHandedOn() throws Exception {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager("a");
            db.execute("CREATE TABLE IF NOT EXISTS {{tables.handmade}} (x int)");
            int pid = backendOf(db);
            db.execute("BEGIN; INSERT INTO {{tables.handmade}} VALUES (1)");
            assertThat(stateOf(pid))
                    .as("the pooled connection is not left in a transaction")
                    .isEqualTo("idle");
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.handmade}}"))
                    .isZero();
        }
    }

    @Test
    void initSqlIsAppliedAgainAfterAReset() {
        try (SharedPool pool = SharedPool.create(database.config()
                .minConnections(1)
                .maxConnections(1)
                .initSql("SET work_mem = '7MB'")
                .build())) {
            DatabaseManager db = pool.manager();
            db.execute("SET work_mem = '1MB'");
            assertThat(db.fetchValue(String.class, "SHOW work_mem")).isEqualTo("7MB");
        }
    }

    @Test
    void aBorrowThatChangedNothingSendsNothingMore() throws Exception {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager("a");
            int pid = backendOf(db);
            db.fetchValue(Integer.class, "SELECT 41 + $1", 1);
            assertThat(lastStatementOf(pid)).isEqualTo("SELECT 41 + $1");
            db.dsl().selectOne().fetch();
            assertThat(lastStatementOf(pid)).isEqualTo("select 1 as \"one\"");

            db.execute("SET statement_timeout = 0");
            // pg_stat_activity shows the last statement of the reset, which runs in the same round trip
            assertThat(lastStatementOf(pid)).contains("DISCARD");
        }
    }

    @Test
    void aConnectionWhoseResetFailsIsEvictedNotReused() {
        try (SharedPool pool = onePool()) {
            DatabaseManager db = pool.manager();
            int before = db.fetchValue(Integer.class, "SELECT pg_backend_pid()");
            // Kills its own backend: the reset after this borrow cannot run, so the connection must go.
            assertThatThrownBy(() ->
                            db.execute("SET statement_timeout = 0; SELECT pg_terminate_backend(pg_backend_pid())"))
                    .isInstanceOf(PgdbmException.class);
            int after = db.fetchValue(Integer.class, "SELECT pg_backend_pid()");
            assertThat(after).isNotEqualTo(before);
            assertThat(db.fetchValue(String.class, "SHOW statement_timeout")).isEqualTo("30s");
        }
    }

    /** The last statement the backend {@code pid} ran, read from another session. */
    private static String lastStatementOf(int pid) throws SQLException {
        try (Connection admin = database.server().connect(database.name());
                PreparedStatement statement =
                        admin.prepareStatement("SELECT query FROM pg_stat_activity WHERE pid = ?")) {
            statement.setInt(1, pid);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as("backend %s is connected", pid).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static String stateOf(int pid) throws SQLException {
        try (Connection admin = database.server().connect(database.name());
                PreparedStatement statement =
                        admin.prepareStatement("SELECT state FROM pg_stat_activity WHERE pid = ?")) {
            statement.setInt(1, pid);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as("backend %s is connected", pid).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static int backendOf(DatabaseManager db) {
        return db.fetchValue(Integer.class, "SELECT pg_backend_pid()");
    }
}
