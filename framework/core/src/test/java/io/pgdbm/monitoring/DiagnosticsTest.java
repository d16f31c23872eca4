package io.pgdbm.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.IdentifierException;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class DiagnosticsTest {
    /** Not the common pool: on a 2-core machine it runs one task at a time, and these tasks block. */
    private static final java.util.concurrent.ExecutorService THREADS =
            java.util.concurrent.Executors.newCachedThreadPool();

    private static DatabaseManager db;
    private static Diagnostics diagnostics;

    @BeforeAll
    static void createTables(SharedPool pool) {
        db = pool.manager("diag");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY, balance int NOT NULL)");
        db.execute("CREATE INDEX ON {{tables.accounts}} (balance)");
        db.execute("CREATE TABLE {{tables.empty}} (id int)");
        db.execute("INSERT INTO {{tables.accounts}} SELECT g, g FROM generate_series(1, 5000) g");
        db.execute("ANALYZE {{tables.accounts}}");
        diagnostics = Diagnostics.of(db);
    }

    @Test
    void anIdleDatabaseIsHealthy() {
        HealthReport health = diagnostics.health();
        assertThat(health.status()).isEqualTo(HealthReport.Status.HEALTHY);
        assertThat(health.reasons()).isEmpty();
        assertThat(health.latency())
                .hasValueSatisfying(latency -> assertThat(latency).isPositive());
        assertThat(health.pool().max()).isPositive();
    }

    @Test
    void twoContendingTransactionsShowUpAsBlocking() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(
                () -> db.transaction(tx -> {
                    tx.execute("UPDATE {{tables.accounts}} SET balance = balance + 1 WHERE id = 1");
                    locked.countDown();
                    await(release);
                }),
                THREADS);
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(
                () -> db.execute("UPDATE {{tables.accounts}} SET balance = balance - 1 WHERE id = 1"), THREADS);
        try {
            List<BlockingQuery> blocking = poll(diagnostics::blockingQueries);
            assertThat(blocking).singleElement().satisfies(b -> {
                assertThat(b.blockedQuery()).contains("balance - 1");
                assertThat(b.blockingQuery()).contains("balance + 1");
                assertThat(b.blockingState()).isEqualTo("idle in transaction");
                assertThat(b.blockedPid()).isNotEqualTo(b.blockingPid());
            });
            HealthReport health = diagnostics.health();
            assertThat(health.status()).isEqualTo(HealthReport.Status.DEGRADED);
            assertThat(health.reasons()).anySatisfy(r -> assertThat(r).contains("blocked by locks"));
            assertThat(health.blocking()).hasSize(1);
        } finally {
            release.countDown();
        }
        holder.get(10, TimeUnit.SECONDS);
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(diagnostics.blockingQueries()).isEmpty();
        assertThat(db.fetchValue(Integer.class, "SELECT balance FROM {{tables.accounts}} WHERE id = 1"))
                .isEqualTo(1);
    }

    @Test
    void longRunningQueriesAreListedAboveTheThreshold() throws Exception {
        CompletableFuture<Integer> sleeper =
                CompletableFuture.supplyAsync(() -> db.execute("SELECT pg_sleep(1.5)"), THREADS);
        try {
            List<RunningQuery> running = poll(() -> diagnostics.longRunningQueries(Duration.ofMillis(300)));
            assertThat(running).singleElement().satisfies(q -> {
                assertThat(q.query()).contains("pg_sleep(1.5)");
                assertThat(q.state()).isEqualTo("active");
                assertThat(q.running()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            });
            assertThat(diagnostics.longRunningQueries(Duration.ofMinutes(5))).isEmpty();
            HealthReport health = diagnostics.health(Duration.ofMillis(300));
            assertThat(health.status()).isEqualTo(HealthReport.Status.DEGRADED);
            assertThat(health.reasons()).anySatisfy(r -> assertThat(r).contains("running longer than"));
        } finally {
            sleeper.get(10, TimeUnit.SECONDS);
        }
    }

    /** {@code count} transactions holding a connection each until {@link #close()} (or {@link #release()}). */
    private static final class Holders implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final List<CompletableFuture<Void>> holders = new java.util.ArrayList<>();

        Holders(DatabaseManager db, int count) throws InterruptedException {
            CountDownLatch holding = new CountDownLatch(count);
            for (int i = 0; i < count; i++) {
                holders.add(CompletableFuture.runAsync(
                        () -> db.transaction(tx -> {
                            tx.execute("SELECT 1");
                            holding.countDown();
                            await(release);
                        }),
                        THREADS));
            }
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            release.countDown();
        }

        int count() {
            return holders.size();
        }

        @Override
        public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
            release.countDown();
            for (CompletableFuture<Void> holder : holders) {
                try {
                    holder.get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Test
    void aBusyPoolMakesHealthDegraded(TestDatabase database) throws Exception {
        try (SharedPool small =
                        SharedPool.create(database.config().maxConnections(4).build());
                Holders held = new Holders(small.manager("diag"), 3)) {
            HealthReport health = Diagnostics.of(small.manager("diag")).health();
            // 3 of 4 connections held: 75% is below the 90% mark, so still healthy
            assertThat(health.pool().active()).isEqualTo(held.count());
            assertThat(health.status()).isEqualTo(HealthReport.Status.HEALTHY);
        }
        try (SharedPool tiny =
                        SharedPool.create(database.config().maxConnections(2).build());
                Holders held = new Holders(tiny.manager("diag"), 2)) {
            // health needs a connection too: release the holders shortly after the check starts waiting
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(held::release);
            HealthReport health = Diagnostics.of(tiny.manager("diag")).health();
            assertThat(health.status()).isEqualTo(HealthReport.Status.DEGRADED);
            assertThat(health.reasons()).anySatisfy(r -> assertThat(r).contains("busy"));
        }
    }

    @Test
    void aClosedPoolIsUnhealthy(TestDatabase database) {
        SharedPool closed = SharedPool.create(database.config().build());
        DatabaseManager manager = closed.manager("diag");
        closed.close();
        HealthReport health = Diagnostics.of(manager).health();
        assertThat(health.status()).isEqualTo(HealthReport.Status.UNHEALTHY);
        assertThat(health.reasons())
                .singleElement()
                .satisfies(r -> assertThat(r).contains("does not answer").contains("closed"));
        assertThat(health.latency()).isEmpty();
    }

    @Test
    void explainReturnsTheJsonPlan() {
        String plan = diagnostics.explain("SELECT * FROM {{tables.accounts}} WHERE id = $1", List.of(42), false);
        assertThat(plan)
                .startsWith("[")
                .contains("\"Plan\"")
                .contains("accounts")
                .doesNotContain("Actual Rows");
    }

    @Test
    void explainAnalyzeRunsTheStatementButRollsItBack() {
        String plan = diagnostics.explain("DELETE FROM {{tables.accounts}} WHERE id <= $1", List.of(100), true);
        assertThat(plan).contains("\"Actual Rows\"").contains("Delete");
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                .isEqualTo(5000L);
    }

    @Test
    void tableSizesListTheManagersSchemaLargestFirst() {
        List<TableSize> sizes = diagnostics.tableSizes();
        assertThat(sizes).extracting(TableSize::table).containsExactly("accounts", "empty");
        TableSize accounts = sizes.getFirst();
        assertThat(accounts.schema()).isEqualTo("diag");
        assertThat(accounts.estimatedRows()).isEqualTo(5000);
        assertThat(accounts.tableBytes()).isPositive();
        assertThat(accounts.indexBytes()).isPositive();
        assertThat(accounts.totalBytes()).isGreaterThanOrEqualTo(accounts.tableBytes() + accounts.indexBytes());
        assertThat(diagnostics.tableSizes("no_such_schema")).isEmpty();
    }

    @Test
    void schemaNamesAreValidatedBeforeAnySql() {
        assertThatThrownBy(() -> diagnostics.tableSizes("diag'; DROP TABLE x; --"))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("schema");
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                .isEqualTo(5000L);
    }

    /** What {@code check} finds once it finds anything; fails after 10 s of finding nothing. */
    private static <T> List<T> poll(Supplier<List<T>> check) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(check::get, found -> !found.isEmpty());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
