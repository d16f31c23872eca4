package io.pgdbm.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgdbm.DatabaseManager;
import io.pgdbm.ModuleDescriptor;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.TestDatabase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PgdbmMetricsTest {

    @Test
    void aRegistryReceivesQueryTimersAndPoolGauges(TestDatabase database) {
        try (SharedPool pool =
                SharedPool.create(database.config().maxConnections(6).build())) {
            QueryMonitor monitor = QueryMonitor.builder().build();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new PgdbmMetrics(pool, monitor).bindTo(registry);

            DatabaseManager billing = pool.manager("metrics_billing")
                    .forModule(ModuleDescriptor.of("billing", "billing", "classpath:db/billing"))
                    .withMonitor(monitor);
            billing.ensureSchema();
            for (int i = 0; i < 3; i++) {
                billing.fetchValue(Integer.class, "SELECT $1::int", i);
            }
            billing.dsl().selectOne().fetch();
            try {
                billing.execute("SELECT broken(");
            } catch (RuntimeException expected) {
                // counted as a failure
            }

            Timer plain = registry.get("pgdbm.queries")
                    .tags("schema", "metrics_billing", "module", "billing", "source", "plain", "outcome", "success")
                    .timer();
            assertThat(plain.count()).isEqualTo(4); // ensureSchema + 3 selects
            assertThat(plain.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("pgdbm.queries")
                            .tags("source", "dsl")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("pgdbm.queries")
                            .tags("outcome", "failure")
                            .timer()
                            .count())
                    .isEqualTo(1);

            Gauge max = registry.get("pgdbm.pool.connections")
                    .tags("pool", pool.name(), "state", "max")
                    .gauge();
            assertThat(max.value()).isEqualTo(6.0);
            java.sql.Connection borrowed = pool.acquire();
            try {
                assertThat(registry.get("pgdbm.pool.connections")
                                .tags("state", "active")
                                .gauge()
                                .value())
                        .isEqualTo(1.0);
            } finally {
                close(borrowed);
            }
            assertThat(registry.get("pgdbm.pool.connections")
                            .tags("state", "active")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.get("pgdbm.pool.connections").gauges()).hasSize(6);
        }
    }

    @Test
    void poolGaugesWorkWithoutAMonitor(SharedPool pool) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new PgdbmMetrics(pool).bindTo(registry);
        assertThat(registry.get("pgdbm.pool.connections")
                        .tags("state", "total")
                        .gauge()
                        .value())
                .isPositive();
        assertThat(registry.find("pgdbm.queries").timers()).isEmpty();
    }

    private static void close(java.sql.Connection connection) {
        try {
            connection.close();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
