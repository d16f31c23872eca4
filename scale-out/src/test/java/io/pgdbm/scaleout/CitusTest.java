package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConfigurationException;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.Citus;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Citus-ready schemas against real PostgreSQL. Citus itself cannot be installed on these machines, so the
 * distributing path runs against a stand-in extension named {@code citus} (resources/citus-standin--12.1.sql)
 * that records what pgdbm asks of it; detection, the check, and the absence of Citus run as they would in
 * production. The server is a dedicated embedded one: the stand-in goes into its extension folder.
 */
class CitusTest {
    private static EmbeddedServer server;
    private static Path control;
    private static Path script;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServers.embedded().start();
        Path bin = Path.of(ProcessHandle.of(server.postmasterPid())
                        .orElseThrow()
                        .info()
                        .command()
                        .orElseThrow())
                .getParent();
        Path extensions = bin.resolveSibling("share/postgresql/extension");
        control = extensions.resolve("citus.control");
        script = extensions.resolve("citus--12.1.sql");
        Files.writeString(
                control,
                "comment = 'stand-in for Citus in pgdbm tests'\ndefault_version = '12.1'\n"
                        + "relocatable = false\nschema = public\n");
        try (InputStream in = CitusTest.class.getResourceAsStream("/citus-standin--12.1.sql")) {
            Files.write(script, in.readAllBytes());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (control != null) {
            Files.deleteIfExists(control);
            Files.deleteIfExists(script);
        }
        if (server != null) {
            server.close();
        }
    }

    private static SharedPool pool(String database) throws Exception {
        try (var connection = server.connect(server.adminDatabase());
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        return SharedPool.create(io.pgdbm.DatabaseConfig.builder()
                .url(server.url(database))
                .maxConnections(6)
                .build());
    }

    @Test
    void withoutCitusSchemasStayPlainUnlessCitusIsRequired() throws Exception {
        try (SharedPool pool = pool("no_citus")) {
            assertThat(Citus.installed(pool.manager())).isFalse();
            ProvisioningReport report = SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
                    .citus(Citus.Mode.WHEN_INSTALLED)
                    .provision(List.of("tenant_1", "tenant_2"));
            assertThat(report.failed()).isEmpty();
            assertThat(report.succeeded()).hasSize(2);

            assertThatThrownBy(() -> SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
                            .citus(Citus.Mode.REQUIRED)
                            .provision(List.of("tenant_3")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("CREATE EXTENSION citus");
            assertThat(pool.manager().fetchValue(Boolean.class, "SELECT to_regnamespace('tenant_3') IS NULL"))
                    .as("nothing ran")
                    .isTrue();
            assertThatThrownBy(() -> Citus.distribute(pool.manager("tenant_1")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("no citus extension");
        }
    }

    @Test
    void withCitusEachNewSchemaIsDistributedOnceAfterItsMigrations() throws Exception {
        try (SharedPool pool = pool("with_citus")) {
            DatabaseManager admin = pool.manager();
            admin.execute("CREATE EXTENSION citus");
            assertThat(Citus.installed(admin)).isTrue();
            List<String> tenants = List.of("tenant_1", "tenant_2", "Tenant3");
            ProvisioningReport report = SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
                    .citus(Citus.Mode.WHEN_INSTALLED)
                    .provision(tenants);
            assertThat(report.failed()).isEmpty();
            assertThat(admin.fetchAll(String.class, "SELECT schemaid::text FROM citus_standin_calls ORDER BY 1"))
                    .containsExactly("\"Tenant3\"", "tenant_1", "tenant_2");
            // each schema's tables existed when it was distributed: migrations ran first
            assertThat(admin.fetchValue(
                            Long.class,
                            "SELECT count(*) FROM pg_dist_schema d JOIN pg_tables t ON t.schemaname = d.schemaid::text"
                                    + " OR quote_ident(t.schemaname) = d.schemaid::text"
                                    + " WHERE t.tablename IN ('accounts', 'invoices')"))
                    .isEqualTo(6L);

            // a second run, and a new tenant: only the new one is distributed
            SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
                    .citus(Citus.Mode.REQUIRED)
                    .provision(List.of("tenant_1", "tenant_2", "Tenant3", "tenant_4"));
            assertThat(admin.fetchValue(Long.class, "SELECT count(*) FROM citus_standin_calls"))
                    .isEqualTo(4L);
            assertThat(Citus.distribute(pool.manager("tenant_1"))).isFalse();
        }
    }

    @Test
    void migrationsThatWouldBreakDistributionAreRefusedWithFileAndLineBeforeAnythingRuns() throws Exception {
        try (SharedPool pool = pool("refused")) {
            assertThatThrownBy(() -> SchemaProvisioner.of(pool, "classpath:db/tenant_bad", "tenant")
                            .citus(Citus.Mode.WHEN_INSTALLED)
                            .provision(List.of("tenant_1", "tenant_2")))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("002_plans.sql:4")
                    .hasMessageContaining("shared.plans")
                    .hasMessageContaining("same schema");
            assertThat(pool.manager().fetchValue(Boolean.class, "SELECT to_regnamespace('tenant_1') IS NULL"))
                    .isTrue();
            assertThatThrownBy(() -> MigrationManager.of(pool.manager("tenant_9"), "classpath:db/tenant_bad", "tenant")
                            .checkCitus())
                    .hasMessageContaining("002_plans.sql:4");
            MigrationManager.of(pool.manager("tenant_9"), "classpath:db/tenant", "tenant")
                    .checkCitus();
            // without Citus wanted, the same files provision as before
            assertThat(SchemaProvisioner.of(pool, "classpath:db/tenant_bad", "tenant")
                            .provision(List.of("shared_less"))
                            .failed())
                    .containsKey("shared_less");
        }
    }
}
