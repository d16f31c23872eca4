package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.DriftReport;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provisioning run killed mid-wave (the JVM, SIGKILL) leaves each tenant either migrated or untouched, and
 * the next run finishes the rest without applying anything twice: the schemas' histories are the record.
 */
class ProvisionCrashTest {
    @TempDir
    Path dir;

    @Test
    void aRunKilledMidWaveIsFinishedByTheNextWithNothingAppliedTwice() throws Exception {
        try (TestDatabase database = TestDatabaseFactory.shared().create()) {
            DatabaseManager db = database.manager();
            Path migrations = Files.createDirectories(dir.resolve("tenant"));
            Files.writeString(
                    migrations.resolve("001_accounts.sql"),
                    "CREATE TABLE {{tables.accounts}} (id serial PRIMARY KEY, name text NOT NULL);");
            Files.writeString(
                    migrations.resolve("002_seed.sql"),
                    "INSERT INTO {{tables.accounts}} (name) VALUES ('owner');\nSELECT pg_sleep(0.15);");
            List<String> tenants =
                    IntStream.rangeClosed(1, 30).mapToObj(i -> "wave_" + i).toList();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ProvisionChild.class.getName(),
                    database.url(),
                    migrations.toString(),
                    "tenant"));
            command.addAll(tenants);
            Process child = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile())
                    .start();
            Awaitility.await("a few tenants done")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        assertThat(child.isAlive())
                                .as(
                                        "child still provisioning; its log:\n%s",
                                        Files.readString(dir.resolve("child.log")))
                                .isTrue();
                        return db.fetchValue(
                                        Long.class,
                                        // visible once a tenant's first run committed: it is all or nothing
                                        "SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'")
                                >= 5;
                    });
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Awaitility.await("the dead client's sessions ended")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !db.fetchValue(
                            Boolean.class,
                            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
                                    + " WHERE application_name = 'pgdbm-provision-child')"));

            DriftReport after =
                    SchemaProvisioner.of(database.pool(), migrations, "tenant").drift(tenants);
            long done = after.in(DriftReport.State.UP_TO_DATE).size();
            assertThat(done).as("some tenants were done when it was killed").isPositive();
            assertThat(after.tenants())
                    .as("each tenant is migrated completely, or not at all (%s)", after.counts())
                    .allMatch(t -> t.state() == DriftReport.State.UP_TO_DATE
                            || t.state() == DriftReport.State.MISSING
                            || (t.state() == DriftReport.State.BEHIND
                                    && t.behind().size() == 2));

            ProvisioningReport next = SchemaProvisioner.of(database.pool(), migrations, "tenant")
                    .parallelism(3)
                    .provision(tenants);
            assertThat(next.allSucceeded()).isTrue();
            assertThat(SchemaProvisioner.of(database.pool(), migrations, "tenant")
                            .drift(tenants)
                            .upToDate())
                    .isTrue();
            for (String tenant : tenants) {
                assertThat(database.manager(tenant).fetchValue(Long.class, "SELECT count(*) FROM {{tables.accounts}}"))
                        .as("the seed ran once in %s", tenant)
                        .isEqualTo(1L);
                assertThat(database.manager(tenant)
                                .fetchValue(Long.class, "SELECT count(*) FROM {{tables.tenant_schema_history}}"))
                        .isEqualTo(2L);
            }
        }
    }
}
