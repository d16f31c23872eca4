package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.IdentifierException;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class SchemaProvisionerTest {
    @TempDir
    Path dir;

    @Test
    void fiftyTenantSchemasAreProvisionedInParallel(TestDatabase database) {
        MigrationFolder.in(dir)
                .file(
                        "001_accounts.sql",
                        "CREATE TABLE {{tables.accounts}} (id serial PRIMARY KEY, name text NOT NULL);\n")
                .file("002_seed.sql", "INSERT INTO {{tables.accounts}} (name) VALUES ('{{schema}}');\n");
        List<String> tenants =
                IntStream.rangeClosed(1, 50).mapToObj(i -> "tenant_" + i).toList();
        List<SchemaProvisioner.Progress> progress = new ArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (SharedPool pool =
                SharedPool.create(database.config().maxConnections(12).build())) {
            ProvisioningReport report = SchemaProvisioner.of(pool, dir, "tenant")
                    .parallelism(4)
                    .onProgress(p -> {
                        progress.add(p);
                        threads.add(Thread.currentThread().getName()
                                + Thread.currentThread().threadId());
                    })
                    .provision(tenants);
            assertThat(report.allSucceeded()).isTrue();
            assertThat(report.succeeded()).hasSize(50);
            assertThat(progress)
                    .extracting(SchemaProvisioner.Progress::done)
                    .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, 50).boxed().toList());
            assertThat(threads).as("work ran on several threads").hasSizeGreaterThan(1);
            for (String tenant : tenants) {
                assertThat(pool.manager(tenant).fetchValue(String.class, "SELECT name FROM {{tables.accounts}}"))
                        .isEqualTo("\"" + tenant + "\"");
            }
            // A second run finds every tenant up to date.
            ProvisioningReport again = SchemaProvisioner.of(pool, dir, "tenant").provision(tenants);
            assertThat(again.succeeded()).allMatch(r -> r.status() == MigrationResult.Status.UP_TO_DATE);
        }
    }

    @Test
    void oneTenantsFailureIsReportedAndDoesNotStopTheOthers(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.things}} (id int);\n");
        // This tenant already has a conflicting table, so its migration fails.
        pool.manager("broken_tenant").ensureSchema();
        pool.manager("broken_tenant").execute("CREATE TABLE {{tables.things}} (other text)");
        ProvisioningReport report = SchemaProvisioner.of(pool, dir, "things")
                .parallelism(2)
                .provision(List.of("ok_tenant_1", "broken_tenant", "ok_tenant_2"));
        assertThat(report.allSucceeded()).isFalse();
        assertThat(report.failed()).containsOnlyKeys("broken_tenant");
        assertThat(report.failed().get("broken_tenant"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("already exists");
        assertThat(report.succeeded())
                .extracting(MigrationResult::schema)
                .containsExactlyInAnyOrder("ok_tenant_1", "ok_tenant_2");
    }

    @Test
    void invalidSchemaNamesAreRejectedBeforeAnythingRuns(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);\n");
        assertThatThrownBy(() -> SchemaProvisioner.of(pool, dir, "m").provision(List.of("good_one", "bad-one")))
                .isInstanceOf(IdentifierException.class);
        assertThat(pool.manager("good_one").tableExists("t")).isFalse();
    }
}
