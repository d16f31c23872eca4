package io.pgdbm.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.pgdbm.DatabaseManager;
import io.pgdbm.LogCapture;
import io.pgdbm.PostgresExtension;
import io.pgdbm.QueryException;
import io.pgdbm.Secret;
import io.pgdbm.SharedPool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class QueryMonitorTest {
    private static SharedPool pool;

    @BeforeAll
    static void createTable(SharedPool shared) {
        pool = shared;
        DatabaseManager db = pool.manager("mon");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.notes}} (id bigint PRIMARY KEY, body text)");
        db.execute("INSERT INTO {{tables.notes}} SELECT g, 'note ' || g FROM generate_series(1, 50) g");
    }

    @Test
    void aSleepingQueryTripsTheSlowQueryCallbackAndAWarning() {
        List<QueryEvent> slow = Collections.synchronizedList(new ArrayList<>());
        QueryMonitor monitor = QueryMonitor.builder()
                .slowQueryThreshold(Duration.ofMillis(150))
                .onSlowQuery(slow::add)
                .build();
        DatabaseManager db = pool.manager("mon").withMonitor(monitor);

        try (LogCapture logs = new LogCapture()) {
            db.fetchValue(Integer.class, "SELECT 1");
            db.execute("SELECT pg_sleep(0.3)");

            assertThat(slow).singleElement().satisfies(event -> {
                assertThat(event.shape()).isEqualTo("SELECT pg_sleep(0.3)");
                assertThat(event.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(event.schema()).contains("mon");
                assertThat(event.success()).isTrue();
            });
            assertThat(logs.messagesAt(Level.WARN))
                    .anySatisfy(m -> assertThat(m)
                            .contains("Slow query")
                            .contains("pg_sleep(0.3)")
                            .contains("mon"));
        }
        MonitorStats stats = monitor.stats();
        assertThat(stats.count()).isEqualTo(2);
        assertThat(stats.slow()).isEqualTo(1);
        assertThat(stats.max()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(stats.total()).isGreaterThanOrEqualTo(stats.max());
    }

    @Test
    void plainSqlAndDslAreBothSeenAndGroupedByShape() {
        QueryMonitor monitor = QueryMonitor.builder().build();
        DatabaseManager db = pool.manager("mon").withMonitor(monitor);

        for (long id = 1; id <= 20; id++) {
            db.fetchOne("SELECT body FROM {{tables.notes}} WHERE id = $1", id);
        }
        for (int id = 1; id <= 5; id++) {
            db.dsl()
                    .select(DSL.field("body"))
                    .from(DSL.table(DSL.name("mon", "notes")))
                    .where(DSL.field("id").eq(id))
                    .fetch();
        }

        List<StatementStats> statements = monitor.statements();
        assertThat(statements).hasSize(2);
        StatementStats plain = statements.stream()
                .filter(s -> s.shape().contains("{{tables.notes}}"))
                .findFirst()
                .orElseThrow();
        assertThat(plain.count()).isEqualTo(20);
        assertThat(plain.failures()).isZero();
        assertThat(plain.p50()).isPositive().isLessThanOrEqualTo(plain.p95());
        assertThat(plain.p95()).isLessThanOrEqualTo(plain.p99());
        assertThat(plain.p99()).isLessThanOrEqualTo(plain.max());
        assertThat(plain.mean()).isEqualTo(plain.total().dividedBy(20));
        StatementStats dsl = statements.stream()
                .filter(s -> s.shape().contains("\"mon\".\"notes\""))
                .findFirst()
                .orElseThrow();
        assertThat(dsl.count()).isEqualTo(5);
        assertThat(dsl.shape()).contains("?").doesNotContain("= 3");
        assertThat(monitor.history()).hasSize(25);
        assertThat(monitor.history().getLast().source()).isEqualTo(QueryEvent.Source.DSL);
        assertThat(monitor.history().getFirst().source()).isEqualTo(QueryEvent.Source.PLAIN);
        assertThat(monitor.history().getFirst().sql()).contains("\"mon\".notes").contains("$1");
    }

    @Test
    void failuresAreCountedWithTheirSqlState() {
        QueryMonitor monitor = QueryMonitor.builder().build();
        DatabaseManager db = pool.manager("mon").withMonitor(monitor);

        assertThatThrownBy(() -> db.execute("SELECT * FROM {{tables.missing}}")).isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> db.dsl().execute("SELECT no_such_column FROM mon.notes"))
                .isInstanceOf(org.jooq.exception.DataAccessException.class);

        assertThat(monitor.stats().failures()).isEqualTo(2);
        assertThat(monitor.history())
                .hasSize(2)
                .allSatisfy(event -> assertThat(event.success()).isFalse());
        assertThat(monitor.history().get(0).sqlState()).contains("42P01");
        assertThat(monitor.history().get(1).sqlState()).contains("42703");
        assertThat(monitor.statements())
                .allSatisfy(s -> assertThat(s.failures()).isEqualTo(1));
    }

    @Test
    void batchesCopiesAndTransactionsAreSeen() {
        QueryMonitor monitor = QueryMonitor.builder().build();
        DatabaseManager db = pool.manager("mon").withMonitor(monitor);

        db.transaction(tx -> {
            tx.executeMany(
                    "INSERT INTO {{tables.notes}} VALUES ($1, $2)", List.of(List.of(1001L, "a"), List.of(1002L, "b")));
            tx.copyRecords("notes", List.of("id", "body"), List.of(List.of(1003L, "c")));
            tx.execute("DELETE FROM {{tables.notes}} WHERE id > 1000");
        });

        assertThat(monitor.history())
                .extracting(QueryEvent::shape)
                .containsExactly(
                        "INSERT INTO {{tables.notes}} VALUES ($1, $2)",
                        "COPY \"mon\".notes (\"id\", \"body\") FROM STDIN",
                        "DELETE FROM {{tables.notes}} WHERE id > 1000");
    }

    @Test
    void parametersAreRecordedOnlyWhenAskedAndAlwaysMasked() {
        String longValue = "x".repeat(5_000);
        QueryMonitor quiet =
                QueryMonitor.builder().slowQueryThreshold(Duration.ofNanos(1)).build();
        QueryMonitor recording = QueryMonitor.builder()
                .recordParameters(true)
                .slowQueryThreshold(Duration.ofNanos(1))
                .build();
        try (LogCapture logs = new LogCapture()) {
            for (QueryMonitor monitor : List.of(quiet, recording)) {
                DatabaseManager db = pool.manager("mon").withMonitor(monitor);
                db.fetchOne(
                        "SELECT $1::text AS token, $2::text AS blob, $3::int AS n",
                        Secret.of("hunter2-token"),
                        longValue,
                        42);
            }
            assertThat(quiet.history().getFirst().parameters()).isEmpty();
            List<String> recorded = recording.history().getFirst().parameters();
            assertThat(recorded).hasSize(3);
            assertThat(recorded.get(0)).isEqualTo("***");
            assertThat(recorded.get(1)).hasSizeLessThan(100).contains("5000 chars");
            assertThat(recorded.get(2)).isEqualTo("42");
            // DEBUG SQL logging (io.pgdbm.sql) and the slow-query warnings show arguments masked too
            assertThat(logs.messagesAt(Level.DEBUG))
                    .anySatisfy(m -> assertThat(m).startsWith("io.pgdbm.sql").contains("***"));
            assertThat(logs.messages())
                    .noneSatisfy(m -> assertThat(m).contains("hunter2"))
                    .noneSatisfy(m -> assertThat(m).contains("x".repeat(100)));
        }
    }

    @Test
    void debugLoggingShowsDslStatementsWithMaskedValuesAndNotJooqsOwnLog() {
        DatabaseManager db = pool.manager("mon");
        try (LogCapture logs = new LogCapture()) {
            db.dsl()
                    .select(DSL.val("hunter2-secret-value-that-is-long-enough-to-be-shortened-by-masking"))
                    .fetch();
            assertThat(logs.messagesAt(Level.DEBUG))
                    .anySatisfy(m -> assertThat(m).startsWith("io.pgdbm.sql").contains("select"));
            assertThat(logs.messages()).noneSatisfy(m -> assertThat(m).contains("hunter2-secret-value-that-is-long"));
        }
    }

    @Test
    void unmonitoredManagersOnTheSamePoolReportNothing() {
        QueryMonitor monitor = QueryMonitor.builder().build();
        DatabaseManager monitored = pool.manager("mon").withMonitor(monitor);
        DatabaseManager plain = pool.manager("mon");

        plain.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}");
        plain.dsl().selectOne().fetch();
        assertThat(monitor.stats().count()).isZero();
        monitored.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}");
        assertThat(monitor.stats().count()).isEqualTo(1);
        assertThat(plain.monitor()).isEmpty();
        assertThat(monitored.monitor()).containsSame(monitor);
        assertThat(monitored.schema()).contains("mon");
    }

    @Test
    void moduleManagersTagTheirEvents() {
        QueryMonitor monitor = QueryMonitor.builder().build();
        DatabaseManager db = pool.manager("mon")
                .forModule(io.pgdbm.ModuleDescriptor.of("notes", "notes_canonical", "classpath:db/none"))
                .withMonitor(monitor);
        db.execute("SELECT 1");
        assertThat(monitor.history().getFirst().module()).contains("notes");
        assertThat(db.module()).contains("notes");
    }

    @Test
    void aFailingListenerDoesNotBreakTheQuery() {
        QueryMonitor monitor = QueryMonitor.builder()
                .onQuery(event -> {
                    throw new IllegalStateException("listener bug");
                })
                .build();
        DatabaseManager db = pool.manager("mon").withMonitor(monitor);
        try (LogCapture logs = new LogCapture()) {
            assertThat(db.fetchValue(Integer.class, "SELECT 7")).isEqualTo(7);
            assertThat(logs.messagesAt(Level.WARN))
                    .anySatisfy(m -> assertThat(m).contains("listener bug"));
        }
    }

    @Test
    void historyIsBoundedAndResetForgetsEverything() {
        QueryMonitor monitor = QueryMonitor.builder().historySize(3).build();
        for (int i = 0; i < 10; i++) {
            monitor.record(event("SELECT " + i, Duration.ofMillis(i)));
        }
        assertThat(monitor.history()).extracting(QueryEvent::shape).containsExactly("SELECT 7", "SELECT 8", "SELECT 9");
        monitor.reset();
        assertThat(monitor.history()).isEmpty();
        assertThat(monitor.statements()).isEmpty();
        assertThat(monitor.stats().count()).isZero();

        QueryMonitor none = QueryMonitor.builder().historySize(0).build();
        none.record(event("SELECT 1", Duration.ofMillis(1)));
        assertThat(none.history()).isEmpty();
        assertThat(none.stats().count()).isEqualTo(1);
    }

    @Test
    void percentilesFollowTheRecordedDurations() {
        QueryMonitor monitor = QueryMonitor.builder().build();
        for (int ms = 1; ms <= 100; ms++) {
            monitor.record(event("SELECT x", Duration.ofMillis(ms)));
        }
        StatementStats stats = monitor.statements().getFirst();
        assertThat(stats.p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(stats.p95()).isEqualTo(Duration.ofMillis(95));
        assertThat(stats.p99()).isEqualTo(Duration.ofMillis(99));
        assertThat(stats.max()).isEqualTo(Duration.ofMillis(100));
        assertThat(stats.mean()).isEqualTo(Duration.ofMillis(5050).dividedBy(100));
    }

    @Test
    void distinctShapesAreCappedSoMemoryStaysBounded() {
        QueryMonitor monitor = QueryMonitor.builder().historySize(0).build();
        for (int i = 0; i < QueryMonitor.MAX_SHAPES + 500; i++) {
            monitor.record(event("SELECT " + i, Duration.ofMillis(1)));
        }
        List<StatementStats> statements = monitor.statements();
        assertThat(statements).hasSize(QueryMonitor.MAX_SHAPES + 1);
        assertThat(statements)
                .filteredOn(s -> s.shape().equals(QueryMonitor.OTHER))
                .singleElement()
                .satisfies(other -> assertThat(other.count()).isEqualTo(500));
        assertThat(monitor.stats().count()).isEqualTo(QueryMonitor.MAX_SHAPES + 500);
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> QueryMonitor.builder().slowQueryThreshold(Duration.ZERO))
                .isInstanceOf(io.pgdbm.ConfigurationException.class)
                .hasMessageContaining("slowQueryThreshold");
        assertThatThrownBy(() -> QueryMonitor.builder().slowQueryThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(io.pgdbm.ConfigurationException.class);
        assertThatThrownBy(() -> QueryMonitor.builder().historySize(-1))
                .isInstanceOf(io.pgdbm.ConfigurationException.class)
                .hasMessageContaining("historySize");
        assertThatThrownBy(() -> pool.manager("mon").withMonitor(null)).isInstanceOf(NullPointerException.class);
    }

    private static QueryEvent event(String shape, Duration duration) {
        return new QueryEvent(
                Instant.now(),
                Optional.empty(),
                Optional.empty(),
                QueryEvent.Source.PLAIN,
                shape,
                shape,
                duration,
                true,
                Optional.empty(),
                List.of());
    }
}
