package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.ReplicaFallback;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.Citus;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PgBouncerServer;
import io.pgdbm.postgres.PostgresServers;
import io.pgdbm.postgres.StandbyServer;
import java.time.Duration;
import java.util.List;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.Test;

/** The code of docs/scale-out.md, run against the servers it describes. */
class ScaleOutExamplesTest {

    @Test
    void readsFromAReplica() {
        try (EmbeddedServer server = PostgresServers.embedded().start();
                StandbyServer standby = server.startStandby()) {
            String primaryUrl = server.url("postgres");
            String replicaUrl = standby.url("postgres");
            try (SharedPool setup =
                    SharedPool.create(DatabaseConfig.builder().url(primaryUrl).build())) {
                MigrationManager.of(setup.manager("orders"), "classpath:db/orders", "orders")
                        .applyPending();
                setup.manager("orders").execute("INSERT INTO {{tables.orders}} (customer, total) VALUES ('ada', 1)");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (var connection = standby.connect("postgres");
                        var statement = connection.createStatement();
                        var rows = statement.executeQuery("SELECT to_regclass('orders.orders') IS NOT NULL")) {
                    return rows.next() && rows.getBoolean(1);
                }
            });
            // tag::replicas[]
            DatabaseConfig config = DatabaseConfig.builder()
                    .url(primaryUrl)
                    .replicaUrl(replicaUrl) // one per replica; also PGDBM_REPLICA_URLS, pgdbm.replica-urls
                    .replicaMaxLag(Duration.ofSeconds(5)) // further behind: pass it over
                    .replicaFallback(ReplicaFallback.PRIMARY) // none can serve: read the primary (the default)
                    .build();
            try (SharedPool pool = SharedPool.create(config)) {
                DatabaseManager orders = pool.manager("orders");
                DatabaseManager reports = orders.replica(); // same schema and mappings, read-only, on a replica

                orders.execute("INSERT INTO {{tables.orders}} (customer, total) VALUES ($1, 12.50)", "bob");
                // a replica is asynchronous: it may not have this write yet; read what must see it on the primary
                Result<Record> recent = reports.fetchAll("SELECT * FROM {{tables.orders}} ORDER BY id DESC LIMIT 10");
                // end::replicas[]
                assertThat(recent).isNotEmpty();
                assertThat(reports.fetchValue(Boolean.class, "SELECT pg_is_in_recovery()"))
                        .isTrue();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> reports.fetchAll("SELECT * FROM {{tables.orders}}")
                                        .size()
                                == 2);
            }
        }
    }

    @Test
    void runsBehindPgBouncer() {
        assumeTrue(PgBouncerServer.binary().isPresent(), "PgBouncer is not installed (apt-get install pgbouncer)");
        try (EmbeddedServer server = PostgresServers.embedded().start();
                PgBouncerServer pgbouncer = PgBouncerServer.start(server, 2)) {
            String pgbouncerUrl = pgbouncer.url("postgres");
            String directUrl = server.url("postgres");
            // tag::pgbouncer[]
            DatabaseConfig config = DatabaseConfig.builder()
                    .url(pgbouncerUrl) // PgBouncer, pool_mode = transaction
                    .transactionPooling(true) // no start-up settings, no named statements, no session changes
                    .migrationUrl(directUrl) // migrations hold a session lock: straight to the server
                    .build();
            try (SharedPool pool = SharedPool.create(config)) {
                DatabaseManager orders = pool.manager("orders");
                MigrationManager.of(orders, "classpath:db/orders", "orders").applyPending(); // over directUrl
                orders.execute("INSERT INTO {{tables.orders}} (customer, total) VALUES ($1, 9.99)", "ada"); // PgBouncer
            }
            // end::pgbouncer[]
        }
    }

    @Test
    void distributesTenantSchemasWithCitus() {
        try (EmbeddedServer server = PostgresServers.embedded().start();
                SharedPool pool = SharedPool.create(
                        DatabaseConfig.builder().url(server.url("postgres")).build())) {
            // tag::citus[]
            ProvisioningReport report = SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
                    .citus(Citus.Mode.WHEN_INSTALLED) // distribute each schema if the server has Citus
                    .parallelism(4)
                    .provision(List.of("tenant_1", "tenant_2", "tenant_3"));
            // end::citus[]
            assertThat(report.failed()).isEmpty();
            assertThat(Citus.installed(pool.manager())).isFalse();
        }
    }
}
