package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgdbm.ConnectionException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.QueryException;
import io.pgdbm.ReplicaFallback;
import io.pgdbm.ReplicaStatus;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.monitoring.Diagnostics;
import io.pgdbm.monitoring.HealthReport;
import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import io.pgdbm.postgres.StandbyServer;
import java.math.BigDecimal;
import java.time.Duration;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads through {@code replica()} against a real streaming replica of a primary the test starts. */
class ReplicaTest {
    private static EmbeddedServer primary;
    private static StandbyServer standby;

    private SharedPool pool;
    private DatabaseManager orders;

    @BeforeAll
    static void start() throws Exception {
        primary = PostgresServers.embedded().start();
        standby = primary.startStandby();
    }

    @AfterAll
    static void stop() throws Exception {
        if (standby != null) {
            standby.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    static DatabaseConfig.Builder config() {
        return DatabaseConfig.builder()
                .url(primary.url("postgres"))
                .replicaUrl(standby.url("postgres"))
                .replicaCheckInterval(Duration.ofMillis(50))
                .minConnections(1)
                .maxConnections(4)
                .startupRetries(0, Duration.ZERO);
    }

    @BeforeEach
    void migrate() {
        open(config());
        MigrationManager.of(orders, "classpath:db/orders", "orders").applyPending();
        orders.execute("TRUNCATE {{tables.orders}}");
    }

    private void open(DatabaseConfig.Builder config) {
        if (pool != null) {
            pool.close();
        }
        pool = SharedPool.create(config.build());
        orders = pool.manager("orders");
    }

    @AfterEach
    void close() throws Exception {
        pool.close();
        standby.resumeReplay();
    }

    private void order(String customer) {
        orders.execute(
                "INSERT INTO {{tables.orders}} (customer, total) VALUES ($1, $2)", customer, new BigDecimal("9.99"));
    }

    private long countOn(DatabaseManager db, String customer) {
        return db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.orders}} WHERE customer = $1", customer);
    }

    @Test
    void readsGoToTheReplicaAndWritesThroughItFailClearly() {
        order("ada");
        DatabaseManager reads = orders.replica();
        await().atMost(Duration.ofSeconds(30)).until(() -> countOn(reads, "ada") == 1);
        assertThat(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                .isTrue();
        assertThat(orders.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                .isFalse();
        assertThat(reads.schema()).contains("orders");
        assertThat(reads.replica()).isSameAs(reads);
        assertThat(orders.replica()).isSameAs(reads);
        // typed queries too, mapped onto the same schema
        assertThat(reads.dsl().fetchCount(DSL.table(DSL.name("orders")))).isEqualTo(1);

        assertThatThrownBy(() -> reads.execute("INSERT INTO {{tables.orders}} (customer, total) VALUES ('eve', 1)"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("read-only transaction");
        assertThatThrownBy(() ->
                        reads.dsl().deleteFrom(DSL.table(DSL.name("orders"))).execute())
                .hasMessageContaining("read-only transaction");
        assertThat(countOn(orders, "eve")).isZero();
        assertThat(pool.replicaStatus()).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(ReplicaStatus.State.SERVING);
            assertThat(status.lag()).isPresent();
            assertThat(status.server()).endsWith(":" + standby.port());
        });
        assertThat(pool.replicaFallbacks()).isZero();
        assertThat(Diagnostics.of(orders).health().status()).isEqualTo(HealthReport.Status.HEALTHY);
    }

    @Test
    void aReplicaBehindTheBoundIsPassedOverForThePrimaryAndComesBackWhenItCatchesUp() throws Exception {
        open(config().replicaMaxLag(Duration.ofMillis(300)));
        DatabaseManager reads = orders.replica();
        order("before");
        await().atMost(Duration.ofSeconds(30)).until(() -> countOn(reads, "before") == 1);
        standby.pauseReplay();
        order("during");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pool.replicaStatus().get(0).state() == ReplicaStatus.State.LAGGING);
        // now reads go to the primary, still read-only, and see the write the replica has not applied
        assertThat(countOn(reads, "during")).isEqualTo(1);
        assertThat(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                .isFalse();
        assertThatThrownBy(() -> reads.execute("DELETE FROM {{tables.orders}}"))
                .hasMessageContaining("read-only transaction");
        assertThat(pool.replicaFallbacks()).isPositive();
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        new io.pgdbm.monitoring.PgdbmMetrics(pool).bindTo(registry);
        assertThat(registry.get("pgdbm.replicas")
                        .tag("state", "lagging")
                        .gauge()
                        .value())
                .isEqualTo(1.0);
        assertThat(registry.get("pgdbm.replicas")
                        .tag("state", "serving")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("pgdbm.replica.fallbacks").functionCounter().count())
                .isPositive();
        HealthReport health = Diagnostics.of(orders).health();
        assertThat(health.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(String.join("\n", health.reasons()))
                .contains("replicaMaxLag")
                .contains("primary");

        standby.resumeReplay();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pool.replicaStatus().get(0).state() == ReplicaStatus.State.SERVING);
        assertThat(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                .isTrue();
        assertThat(countOn(reads, "during")).isEqualTo(1);
    }

    @Test
    void withFallbackFailReadsPastTheBoundFailNamingTheReplicaAndWhy() throws Exception {
        open(config().replicaMaxLag(Duration.ofMillis(300)).replicaFallback(ReplicaFallback.FAIL));
        DatabaseManager reads = orders.replica();
        assertThat(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                .isTrue();
        standby.pauseReplay();
        order("during");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pool.replicaStatus().get(0).state() == ReplicaStatus.State.LAGGING);
        assertThatThrownBy(() -> countOn(reads, "during"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining(":" + standby.port())
                .hasMessageContaining("replicaMaxLag")
                .hasMessageContaining("replicaFallback");
        assertThat(pool.replicaFallbacks()).isZero();
    }

    @Test
    void aLostReplicaIsPassedOverAndReadsComeBackToItWhenItReturns() throws Exception {
        DatabaseManager reads = orders.replica();
        assertThat(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                .isTrue();
        standby.kill();
        try {
            // every read answers while the replica is gone: from the primary, once the loss is seen
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                        .isFalse();
            });
            assertThat(pool.replicaStatus().get(0).state()).isEqualTo(ReplicaStatus.State.UNREACHABLE);
            assertThat(pool.replicaStatus().get(0).problem()).isPresent();
            HealthReport health = Diagnostics.of(orders).health();
            assertThat(health.status()).isEqualTo(HealthReport.Status.DEGRADED);
            assertThat(String.join("\n", health.reasons())).contains("unreachable");
            for (int i = 0; i < 20; i++) {
                assertThat(reads.fetchValue(Integer.class, "SELECT 1")).isEqualTo(1);
            }
        } finally {
            standby.start();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Boolean.TRUE.equals(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()")));
        assertThat(pool.replicaStatus().get(0).state()).isEqualTo(ReplicaStatus.State.SERVING);
    }

    @Test
    void withoutReplicasReplicaReadsThePrimaryReadOnly() {
        open(config().replicaUrls(java.util.List.of()));
        order("ada");
        DatabaseManager reads = orders.replica();
        assertThat(countOn(reads, "ada")).isEqualTo(1);
        assertThat(reads.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                .isFalse();
        assertThatThrownBy(() -> reads.execute("UPDATE {{tables.orders}} SET total = 0"))
                .hasMessageContaining("read-only transaction");
        assertThat(pool.replicaStatus()).isEmpty();
        assertThat(pool.replicaFallbacks()).isZero();
        assertThat(Diagnostics.of(orders).health().status()).isEqualTo(HealthReport.Status.HEALTHY);
    }
}
