package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs small @PgdbmTest classes through the JUnit engine and checks what they saw. */
class PgdbmExtensionTest {
    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private static Events run(Class<?> testClass, String... configuration) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass));
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            builder.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return builder.execute().testEvents();
    }

    @Test
    void perMethodIsolationGivesEachTestAFreshMigratedDatabase() {
        Events events = run(PerMethod.class);
        events.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @PgdbmTest
    @Migrations(location = "classpath:db/accounts", module = "accounts", schema = "bank")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerMethod {
        @InjectDatabase
        DatabaseManager injected;

        @Test
        @Order(1)
        void first(DatabaseManager db, SharedPool pool, TestDatabase database, TestDatabaseFactory factory) {
            assertThat(db.schema()).contains("bank");
            assertThat(injected.schema()).contains("bank");
            assertThat(database.pool()).isSameAs(pool);
            assertThat(factory).isSameAs(TestDatabaseFactory.shared());
            db.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('first')");
            assertThat(injected.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                    .isEqualTo(1L);
        }

        @Test
        @Order(2)
        void second(DatabaseManager db) {
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                    .isZero();
        }
    }

    @Test
    void perClassIsolationSharesOneDatabase() {
        run(PerClass.class).assertStatistics(stats -> stats.started(2).succeeded(2));
    }

    @PgdbmTest(isolation = Isolation.PER_CLASS)
    @Migrations(location = "classpath:db/accounts", module = "accounts", schema = "bank")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClass {
        @Test
        @Order(1)
        void first(DatabaseManager db) {
            db.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('kept')");
        }

        @Test
        @Order(2)
        void second(DatabaseManager db) {
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void rollbackIsolationUndoesEachTestsWorkIncludingItsTransactions() {
        run(Rollback.class).assertStatistics(stats -> stats.started(3).succeeded(3));
    }

    @PgdbmTest(isolation = Isolation.ROLLBACK)
    @Migrations(location = "classpath:db/accounts", module = "accounts", schema = "bank")
    @Migrations(location = "classpath:db/ledger", module = "ledger", schema = "ledger")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Rollback {
        @InjectDatabase(schema = "ledger")
        DatabaseManager ledger;

        @Test
        @Order(1)
        void writes(DatabaseManager bank) {
            bank.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('gone')");
            bank.transaction(tx -> tx.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('also gone')"));
            ledger.execute("INSERT INTO {{tables.entries}} (account_id, amount) VALUES (1, 5)");
            assertThat(bank.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                    .isEqualTo(2L);
        }

        @Test
        @Order(2)
        void seesNothingOfTheFirst(DatabaseManager bank) {
            assertThat(bank.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                    .isZero();
            assertThat(ledger.fetchValue(Long.class, "SELECT count(*) FROM {{tables.entries}}"))
                    .isZero();
        }

        @Test
        @Order(3)
        void aFailedNestedTransactionRollsBackAloneInsideTheTest(DatabaseManager bank) {
            bank.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('stays for now')");
            try {
                bank.transaction(tx -> tx.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('stays for now')"));
            } catch (io.pgdbm.QueryException expected) {
                // duplicate owner: only the savepoint rolled back
            }
            assertThat(bank.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void aFailingTestStillDropsItsDatabase() throws Exception {
        SEEN.clear();
        Events events = run(Failing.class);
        events.assertStatistics(stats -> stats.started(1).failed(1));
        String name = SEEN.iterator().next();
        Awaitility.await("database of the failed test dropped")
                .atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> !databaseExists(name));
    }

    @PgdbmTest
    static class Failing {
        @Test
        void fails(TestDatabase database) {
            SEEN.add(database.name());
            database.manager().execute("CREATE TABLE left_behind (id int)"); // DDL: dropped, not reused
            throw new AssertionError("this test fails on purpose");
        }
    }

    @Test
    void aFailingTestsDatabaseIsResetBeforeTheNextTestGetsIt() {
        SEEN.clear();
        run(FailingWithData.class)
                .assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
    }

    @PgdbmTest
    @Migrations(location = "classpath:db/accounts", module = "accounts", schema = "bank")
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
    static class FailingWithData {
        @Test
        @org.junit.jupiter.api.Order(1)
        void failsAfterWriting(DatabaseManager db) {
            db.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('left behind')");
            throw new AssertionError("this test fails on purpose");
        }

        @Test
        @org.junit.jupiter.api.Order(2)
        void theNextTestSeesTheTemplate(DatabaseManager db) {
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                    .isZero();
        }
    }

    @Test
    void testsRunInParallelEachWithItsOwnDatabase() {
        SEEN.clear();
        run(
                        Parallel.class,
                        "junit.jupiter.execution.parallel.enabled",
                        "true",
                        "junit.jupiter.execution.parallel.mode.default",
                        "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy",
                        "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism",
                        "4")
                .assertStatistics(stats -> stats.started(8).succeeded(8));
        assertThat(SEEN).as("databases handed out").isNotEmpty();
    }

    @PgdbmTest
    @Migrations(location = "classpath:db/accounts", module = "accounts", schema = "bank")
    static class Parallel {
        void work(DatabaseManager db, TestDatabase database) {
            SEEN.add(database.name());
            db.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ($1)", database.name());
            assertThat(db.fetchAll("SELECT owner FROM {{tables.accounts}}").getValues("owner", String.class))
                    .containsExactly(database.name());
        }

        @Test
        void a(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }

        @Test
        void b(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }

        @Test
        void c(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }

        @Test
        void d(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }

        @Test
        void e(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }

        @Test
        void f(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }

        @Test
        void g(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }

        @Test
        void h(DatabaseManager db, TestDatabase t) {
            work(db, t);
        }
    }

    @Test
    void aBadFieldIsAClearError() {
        Events events = run(BadField.class);
        events.assertStatistics(stats -> stats.failed(1));
        Throwable failure = events.failed().stream()
                .findFirst()
                .orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertThat(failure)
                .hasMessageContaining("@InjectDatabase field BadField.wrong must be a non-static, non-final");
    }

    @PgdbmTest
    static class BadField {
        @InjectDatabase
        String wrong;

        @Test
        void never() {}
    }

    private static boolean databaseExists(String name) throws Exception {
        TestDatabaseFactory factory = TestDatabaseFactory.shared();
        try (Connection c = factory.server().connect(factory.server().adminDatabase());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
