package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgdbm.ConfigurationException;
import io.pgdbm.ConnectionException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.PreparedQuery;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.postgres.PgBouncerServer;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pgdbm behind a real PgBouncer in transaction mode, with one server connection behind it: every client's
 * transactions share that session, so whatever one leaves in it, the next one sees.
 */
class PgBouncerTest {
    private static TestDatabase database;
    private static PgBouncerServer bouncer;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binary = PgBouncerServer.binary();
        assumeTrue(
                binary.isPresent(),
                "PgBouncer is not installed (apt-get install pgbouncer; .ci/run installs it), so the"
                        + " transaction-pooling tests skip");
        database = TestDatabaseFactory.shared().create();
        bouncer = PgBouncerServer.start(database.server(), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (bouncer != null) {
            bouncer.close();
        }
        if (database != null) {
            database.close();
        }
    }

    static DatabaseConfig.Builder pooled() {
        return pooledConfig(bouncer, database);
    }

    /** A configuration for {@code database} through {@code bouncer}. */
    static DatabaseConfig.Builder pooledConfig(PgBouncerServer bouncer, TestDatabase database) {
        return DatabaseConfig.builder()
                .url(bouncer.url(database.name()))
                .transactionPooling(true)
                .minConnections(1)
                .maxConnections(4)
                .startupRetries(0, Duration.ZERO);
    }

    @Test
    void queriesPreparedStatementsAndTransactionsWorkThroughThePooler() {
        database.manager().execute("CREATE TABLE IF NOT EXISTS public.items (id int PRIMARY KEY, name text)");
        try (SharedPool pool = SharedPool.create(pooled().build())) {
            DatabaseManager db = pool.manager("public");
            // Four clients at once, far past pgJDBC's prepareThreshold (5), on one server session: named
            // statements of one client would collide with, or be missing for, the others.
            List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
            try (var executor = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (int w = 0; w < 4; w++) {
                    int first = w * 10;
                    writers.add(executor.submit(() -> {
                        for (int i = first; i < first + 10; i++) {
                            db.execute("INSERT INTO {{tables.items}} (id, name) VALUES ($1, $2)", i, "item " + i);
                            db.transaction(tx -> {
                                tx.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}} WHERE id <= $1", 5);
                            });
                        }
                        return null;
                    }));
                }
            }
            for (java.util.concurrent.Future<?> writer : writers) {
                assertThat(writer).succeedsWithin(Duration.ofSeconds(30));
            }
            PreparedQuery byId = db.prepare("SELECT name FROM {{tables.items}} WHERE id = $1");
            for (int i = 0; i < 40; i++) {
                assertThat(byId.fetchValue(String.class, i)).isEqualTo("item " + i);
            }
            assertThat(db.dsl()
                            .selectCount()
                            .from(DSL.table(DSL.name("public", "items")))
                            .fetchOne(0, Integer.class))
                    .isEqualTo(40);
            db.transaction(tx -> {
                tx.execute("UPDATE {{tables.items}} SET name = 'renamed' WHERE id = 1");
            });
            assertThatThrownBy(() -> db.transaction(tx -> {
                        tx.execute("DELETE FROM {{tables.items}}");
                        throw new IllegalStateException("changed my mind");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}"))
                    .isEqualTo(40L);
            assertThat(db.fetchValue(String.class, "SELECT name FROM {{tables.items}} WHERE id = 1"))
                    .isEqualTo("renamed");
        } finally {
            database.manager().execute("DROP TABLE public.items");
        }
    }

    @Test
    void statementsThatChangeTheServerSessionAreRefusedBeforeTheyRun() {
        List<String> sessionChanges = List.of(
                "SET statement_timeout = 1",
                "set   work_mem='1MB'",
                "/* tenant */ SET ROLE postgres",
                "SET SESSION AUTHORIZATION DEFAULT",
                "RESET ALL",
                "LISTEN orders_changed",
                "SELECT pg_advisory_lock(42)",
                "SELECT set_config('search_path', 'other', false)",
                "CREATE TEMP TABLE scratch (x int)");
        try (SharedPool pool = SharedPool.create(pooled().build())) {
            DatabaseManager db = pool.manager("public");
            for (String sql : sessionChanges) {
                assertThatThrownBy(() -> db.execute(sql))
                        .as(sql)
                        .isInstanceOf(QueryException.class)
                        .hasMessageContaining("transaction-mode pooler")
                        .hasMessageContaining("SET LOCAL");
            }
            assertThatThrownBy(() -> db.dsl().execute("SET lock_timeout = 1"))
                    .hasMessageContaining("transaction-mode pooler");
            // what stays inside a transaction is fine
            String inside = db.transactionResult(tx -> {
                tx.execute("SET LOCAL statement_timeout = '1234ms'");
                tx.execute("SELECT pg_advisory_xact_lock(42)");
                return tx.fetchValue(String.class, "SHOW statement_timeout");
            });
            assertThat(inside).isEqualTo("1234ms");
            // and the one server session behind the pooler was left as it was
            assertThat(db.fetchValue(
                            Boolean.class,
                            "SELECT count(*) = 0 FROM pg_settings WHERE source = 'session'"
                                    + " AND name NOT IN ('application_name', 'client_encoding', 'DateStyle',"
                                    + " 'TimeZone', 'extra_float_digits')"))
                    .isTrue();
            assertThat(db.fetchValue(Boolean.class, "SELECT current_user = session_user"))
                    .isTrue();
            assertThat(database.manager()
                            .fetchValue(Long.class, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                    .isZero();
        }
    }

    @Test
    void migrationsRefuseThePoolerAndRunOnTheirDirectConnection() {
        try (SharedPool pool = SharedPool.create(pooled().build())) {
            MigrationManager through = MigrationManager.of(pool.manager("orders"), "classpath:db/orders", "orders");
            assertThatThrownBy(through::applyPending)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("transaction-mode pooler")
                    .hasMessageContaining("migrationUrl");
            assertThat(database.manager().tableExists("orders.orders")).isFalse();
        }
        try (SharedPool pool =
                SharedPool.create(pooled().migrationUrl(database.url()).build())) {
            DatabaseManager orders = pool.manager("orders");
            MigrationManager migrations = MigrationManager.of(orders, "classpath:db/orders", "orders");
            MigrationResult first = migrations.applyPending();
            assertThat(first.applied()).hasSize(2);
            assertThat(migrations.applyPending().status()).isEqualTo(MigrationResult.Status.UP_TO_DATE);
            assertThat(migrations.status().pending()).isEmpty();
            orders.execute(
                    "INSERT INTO {{tables.orders}} (customer, total) VALUES ($1, $2)", "ada", new BigDecimal("12.50"));
            assertThat(orders.fetchValue(String.class, "SELECT status FROM {{tables.orders}}"))
                    .isEqualTo("new");
            assertThat(pool.migrationDataSource()).isNotSameAs(pool.dataSource());
            assertThat(pool.lease().migrationDataSource()).isSameAs(pool.migrationDataSource());
        } finally {
            database.manager().execute("DROP SCHEMA IF EXISTS orders CASCADE");
        }
        assertThat(database.manager()
                        .fetchValue(Long.class, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                .isZero();
    }

    @Test
    void tenantSchemasProvisionInParallelOverTheDirectConnection() {
        try (SharedPool pool = SharedPool.create(
                pooled().maxConnections(9).migrationUrl(database.url()).build())) {
            List<String> tenants = List.of("t_1", "t_2", "t_3", "t_4", "t_5", "t_6");
            io.pgdbm.migrations.ProvisioningReport report = io.pgdbm.migrations.SchemaProvisioner.of(
                            pool, "classpath:db/orders", "orders")
                    .provision(tenants);
            assertThat(report.failed()).isEmpty();
            assertThat(report.succeeded()).hasSize(6);
            for (String tenant : tenants) {
                assertThat(pool.manager(tenant).tableExists("orders")).isTrue();
            }
        } finally {
            for (String tenant : List.of("t_1", "t_2", "t_3", "t_4", "t_5", "t_6")) {
                database.manager().execute("DROP SCHEMA IF EXISTS " + tenant + " CASCADE");
            }
        }
    }

    @Test
    void aPoolThatDoesNotKnowItIsBehindAPoolerSaysWhatToSet() {
        DatabaseConfig unaware = pooled().transactionPooling(false).build();
        assertThatThrownBy(() -> SharedPool.create(unaware).close())
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("unsupported startup parameter")
                .hasMessageContaining("transactionPooling(true)");
    }

    @Test
    void aMigrationUrlThatCannotConnectFailsTheMigrationClearlyAndHidesItsPassword() {
        String wrong = "postgresql://nobody:s3cret-pw@127.0.0.1:" + bouncer.port() + "/no_such_database";
        try (SharedPool pool = SharedPool.create(pooled().migrationUrl(wrong).build())) {
            MigrationManager migrations = MigrationManager.of(pool.manager("orders"), "classpath:db/orders", "orders");
            assertThatThrownBy(migrations::applyPending)
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageNotContaining("s3cret-pw");
            assertThat(pool.toString()).doesNotContain("s3cret-pw");
            assertThat(pool.config().toString()).doesNotContain("s3cret-pw").contains("migrationUrl=");
        }
    }
}
