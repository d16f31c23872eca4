package io.pgdbm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.monitoring.Diagnostics;
import io.pgdbm.monitoring.HealthReport;
import io.pgdbm.monitoring.PgdbmMetrics;
import io.pgdbm.monitoring.QueryEvent;
import io.pgdbm.monitoring.QueryMonitor;
import io.pgdbm.monitoring.StatementStats;
import io.pgdbm.monitoring.TableSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The examples of docs/monitoring.md, run against a real server. */
@ExtendWith(PostgresExtension.class)
class MonitoringExamplesTest {
    private static final Logger log = LoggerFactory.getLogger(MonitoringExamplesTest.class);
    private static SharedPool pool;

    @BeforeAll
    static void setUp(SharedPool shared) {
        pool = shared;
        DatabaseManager db = pool.manager("shop");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.orders}} (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric)");
        db.execute(
                "INSERT INTO {{tables.orders}} (customer, total) SELECT 'c' || g % 50, g FROM generate_series(1, 500) g");
    }

    @Test
    void monitor() {
        List<String> alerts = new ArrayList<>();
        // tag::monitor[]
        QueryMonitor monitor = QueryMonitor.builder()
                .slowQueryThreshold(Duration.ofMillis(200)) // also logged as a WARN by io.pgdbm.monitoring
                .onSlowQuery(event ->
                        alerts.add(event.shape() + " took " + event.duration().toMillis() + " ms"))
                .build();
        DatabaseManager orders = pool.manager("shop").withMonitor(monitor);

        orders.fetchAll("SELECT * FROM {{tables.orders}} WHERE customer = $1", "c7");
        orders.execute("SELECT pg_sleep(0.25)");

        for (StatementStats s : monitor.statements()) {
            log.info("{}: {} run(s), p95 {} ms", s.shape(), s.count(), s.p95().toMillis());
        }
        // end::monitor[]
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a).startsWith("SELECT pg_sleep(0.25) took"));
        assertThat(monitor.statements()).hasSize(2);
        assertThat(monitor.stats().slow()).isEqualTo(1);
    }

    @Test
    void history() {
        // tag::history[]
        QueryMonitor monitor = QueryMonitor.builder()
                .historySize(50)
                .recordParameters(
                        true) // masked: Secrets and the pool's password show as ***, text over 20 characters as its
                // length
                .build();
        DatabaseManager orders = pool.manager("shop").withMonitor(monitor);
        orders.fetchOne("SELECT * FROM {{tables.orders}} WHERE id = $1", 42);

        QueryEvent last = monitor.history().getLast();
        // last.sql()        SELECT * FROM "shop".orders WHERE id = $1
        // last.parameters() [42]
        // end::history[]
        assertThat(last.sql()).isEqualTo("SELECT * FROM \"shop\".orders WHERE id = $1");
        assertThat(last.parameters()).containsExactly("42");
    }

    @Test
    void metrics() {
        QueryMonitor monitor = QueryMonitor.builder().build();
        // tag::metrics[]
        MeterRegistry registry = new SimpleMeterRegistry(); // or the application's registry
        new PgdbmMetrics(pool, monitor).bindTo(registry);
        // pgdbm.pool.connections{pool, state=active|idle|total|waiting|max|min}
        // pgdbm.queries{schema, module, source=plain|dsl, outcome=success|failure}
        // end::metrics[]
        pool.manager("shop").withMonitor(monitor).fetchValue(Long.class, "SELECT count(*) FROM {{tables.orders}}");
        assertThat(registry.get("pgdbm.queries").tag("schema", "shop").timer().count())
                .isEqualTo(1);
    }

    @Test
    void diagnostics() {
        // tag::diagnostics[]
        Diagnostics diagnostics = Diagnostics.of(pool.manager("shop"));

        HealthReport health = diagnostics.health();
        if (health.status() != HealthReport.Status.HEALTHY) {
            log.warn("database {}: {}", health.status(), health.reasons());
        }

        String plan = diagnostics.explain(
                "SELECT * FROM {{tables.orders}} WHERE customer = $1", List.of("c7"), true); // JSON; rolled back
        List<TableSize> sizes = diagnostics.tableSizes(); // the manager's schema, largest first
        diagnostics
                .blockingQueries()
                .forEach(b ->
                        log.warn("pid {} waits for pid {}: {}", b.blockedPid(), b.blockingPid(), b.blockedQuery()));
        diagnostics
                .longRunningQueries(Duration.ofSeconds(30))
                .forEach(q -> log.warn("{} s: {}", q.running().toSeconds(), q.query()));
        // end::diagnostics[]
        assertThat(health.status()).isEqualTo(HealthReport.Status.HEALTHY);
        assertThat(plan).contains("\"Actual Rows\"");
        assertThat(sizes).extracting(TableSize::table).containsExactly("orders");
    }
}
