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
    void driftSaysWhereEachTenantStandsAndChangesNothing(SharedPool pool) throws Exception {
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        Path v3 = dir.resolve("v3");
        Path edited = dir.resolve("edited");
        for (Path folder : List.of(v1, v2, v3, edited)) {
            java.nio.file.Files.createDirectories(folder);
        }
        String accounts = "CREATE TABLE {{tables.accounts}} (id serial PRIMARY KEY, name text);\n";
        String seed = "INSERT INTO {{tables.accounts}} (name) VALUES ('first');\n";
        MigrationFolder.in(v1).file("001_accounts.sql", accounts);
        MigrationFolder.in(v2).file("001_accounts.sql", accounts).file("002_seed.sql", seed);
        MigrationFolder.in(v3)
                .file("001_accounts.sql", accounts)
                .file("002_seed.sql", seed)
                .file("003_more.sql", "ALTER TABLE {{tables.accounts}} ADD COLUMN plan text;\n");
        MigrationFolder.in(edited)
                .file("001_accounts.sql", accounts.replace("name text", "name varchar(80)"))
                .file("002_seed.sql", seed);
        SchemaProvisioner.of(pool, v2, "tenant").provision(List.of("t_current"));
        SchemaProvisioner.of(pool, v1, "tenant").provision(List.of("t_old"));
        SchemaProvisioner.of(pool, v3, "tenant").provision(List.of("t_newer"));
        SchemaProvisioner.of(pool, edited, "tenant").provision(List.of("t_edited"));

        DriftReport report = SchemaProvisioner.of(pool, v2, "tenant")
                .drift(List.of("t_current", "t_old", "t_newer", "t_edited", "t_never"));
        assertThat(report.tenants())
                .extracting(DriftReport.Tenant::schema, DriftReport.Tenant::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t_current", DriftReport.State.UP_TO_DATE),
                        org.assertj.core.groups.Tuple.tuple("t_old", DriftReport.State.BEHIND),
                        org.assertj.core.groups.Tuple.tuple("t_newer", DriftReport.State.AHEAD),
                        org.assertj.core.groups.Tuple.tuple("t_edited", DriftReport.State.CHANGED),
                        org.assertj.core.groups.Tuple.tuple("t_never", DriftReport.State.MISSING));
        assertThat(report.in(DriftReport.State.BEHIND).get(0).behind()).containsExactly("002_seed.sql");
        assertThat(report.in(DriftReport.State.AHEAD).get(0).ahead()).containsExactly("003_more.sql");
        assertThat(report.in(DriftReport.State.CHANGED).get(0).changed()).containsExactly("001_accounts.sql");
        assertThat(report.counts())
                .containsEntry(DriftReport.State.UP_TO_DATE, 1L)
                .hasSize(5);
        assertThat(report.upToDate()).isFalse();
        // reading changed nothing: the old tenant is still behind, the missing one still missing
        assertThat(pool.manager("t_old").fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                .isZero();
        assertThat(pool.manager().fetchValue(Boolean.class, "SELECT to_regnamespace('t_never') IS NULL"))
                .isTrue();
        assertThatThrownBy(() -> SchemaProvisioner.of(pool, v2, "tenant").drift(List.of("t_old", "bad-name")))
                .isInstanceOf(IdentifierException.class);
    }

    @Test
    void aRunStopsStartingSchemasAfterTooManyFailuresAndTheNextRunContinues(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.things}} (id int);\n");
        pool.manager("stop_broken").ensureSchema();
        pool.manager("stop_broken").execute("CREATE TABLE {{tables.things}} (other text)");
        List<String> tenants = List.of("stop_ok_1", "stop_broken", "stop_ok_2", "stop_ok_3");
        ProvisioningReport report = SchemaProvisioner.of(pool, dir, "things")
                .parallelism(1)
                .stopAfterFailures(1)
                .provision(tenants);
        assertThat(report.failed()).containsOnlyKeys("stop_broken");
        assertThat(report.skipped()).containsExactly("stop_ok_2", "stop_ok_3");
        assertThat(report.succeeded()).extracting(MigrationResult::schema).containsExactly("stop_ok_1");
        assertThat(report.allSucceeded()).isFalse();
        assertThat(pool.manager("stop_ok_2").tableExists("things")).isFalse();

        pool.manager("stop_broken").execute("DROP TABLE {{tables.things}}");
        ProvisioningReport again =
                SchemaProvisioner.of(pool, dir, "things").stopAfterFailures(1).provision(tenants);
        assertThat(again.allSucceeded()).isTrue();
        assertThat(again.succeeded()).hasSize(4);
        assertThatThrownBy(() -> SchemaProvisioner.of(pool, dir, "things").stopAfterFailures(0))
                .hasMessageContaining("at least 1");
    }

    @Test
    void twoRunsOverTheSameTenantsAtOnceApplyEachFileOnce(TestDatabase database) throws Exception {
        MigrationFolder.in(dir)
                .file("001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id serial PRIMARY KEY, name text);\n")
                .file("002_seed.sql", "INSERT INTO {{tables.accounts}} (name) SELECT 'x' FROM pg_sleep(0.02);\n");
        List<String> tenants =
                IntStream.rangeClosed(1, 12).mapToObj(i -> "twice_" + i).toList();
        try (SharedPool first =
                        SharedPool.create(database.config().maxConnections(9).build());
                SharedPool second =
                        SharedPool.create(database.config().maxConnections(9).build())) {
            var executor = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = executor.submit(
                        () -> SchemaProvisioner.of(first, dir, "tenant").provision(tenants));
                var b = executor.submit(
                        () -> SchemaProvisioner.of(second, dir, "tenant").provision(tenants));
                assertThat(a.get().allSucceeded()).isTrue();
                assertThat(b.get().allSucceeded()).isTrue();
            } finally {
                executor.shutdownNow();
            }
            for (String tenant : tenants) {
                assertThat(first.manager(tenant).fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                        .as("the seed ran once in %s", tenant)
                        .isEqualTo(1L);
                assertThat(first.manager(tenant)
                                .fetchValue(Long.class, "SELECT count(*) FROM {{tables.tenant_schema_history}}"))
                        .isEqualTo(2L);
            }
        }
    }

    @Test
    void invalidSchemaNamesAreRejectedBeforeAnythingRuns(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);\n");
        assertThatThrownBy(() -> SchemaProvisioner.of(pool, dir, "m").provision(List.of("good_one", "bad-one")))
                .isInstanceOf(IdentifierException.class);
        assertThat(pool.manager("good_one").tableExists("t")).isFalse();
    }
}
