package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM applying a long migration file is killed (SIGKILL) in the middle of it: the database holds none of
 * that file (its statements ran in one transaction that never committed), and the next run applies it.
 */
class MigrationCrashTest {
    @TempDir
    Path dir;

    @Test
    void aKilledMigrationLeavesNothingOfItsFileAndTheNextRunCompletes() throws Exception {
        try (TestDatabase database = TestDatabaseFactory.shared().create()) {
            DatabaseManager db = database.manager();
            Path migrations = Files.createDirectories(dir.resolve("ledger"));
            Files.writeString(
                    migrations.resolve("001_accounts.sql"), "CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);");
            MigrationManager first = MigrationManager.of(database.manager("ledger"), migrations, "ledger");
            assertThat(first.applyPending().applied()).hasSize(1);

            Files.writeString(migrations.resolve("002_long.sql"), """
                    CREATE TABLE {{tables.entries}} (id int PRIMARY KEY, payload text);
                    INSERT INTO {{tables.entries}} SELECT g, md5(g::text) FROM generate_series(1, 100000) g;
                    ALTER TABLE {{tables.accounts}} ADD COLUMN balance numeric NOT NULL DEFAULT 0;
                    SELECT pg_sleep(2);
                    CREATE TABLE {{tables.after_the_pause}} (id int);
                    """);
            Process child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            MigrateChild.class.getName(),
                            database.url(),
                            migrations.toString(),
                            "ledger",
                            "ledger")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile())
                    .start();
            Awaitility.await("the child reached the pause")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        assertThat(child.isAlive())
                                .as("child still migrating; its log:\n%s", Files.readString(dir.resolve("child.log")))
                                .isTrue();
                        return db.fetchValue(
                                Boolean.class,
                                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name ="
                                        + " 'pgdbm-migrate-child' AND query LIKE '%SELECT pg_sleep(2)%')");
                    });
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            // The server notices the dead client when the sleep ends, and rolls the transaction back.
            Awaitility.await("the dead client's session ended")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !db.fetchValue(
                            Boolean.class,
                            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
                                    + " WHERE application_name = 'pgdbm-migrate-child')"));
            assertThat(db.fetchValue(Boolean.class, "SELECT to_regclass('ledger.entries') IS NULL"))
                    .isTrue();
            assertThat(db.fetchValue(Boolean.class, "SELECT to_regclass('ledger.after_the_pause') IS NULL"))
                    .isTrue();
            assertThat(
                            db.fetchValue(
                                    Long.class,
                                    "SELECT count(*) FROM information_schema.columns"
                                            + " WHERE table_schema = 'ledger' AND table_name = 'accounts' AND column_name = 'balance'"))
                    .isZero();
            assertThat(db.fetchAll(
                                    "SELECT script FROM ledger.ledger_schema_history WHERE success ORDER BY installed_rank")
                            .getValues("script", String.class))
                    .containsExactly("001_accounts.sql");
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM ledger.ledger_schema_history WHERE NOT success"))
                    .isZero();

            MigrationResult next = MigrationManager.of(database.manager("ledger"), migrations, "ledger")
                    .applyPending();
            assertThat(next.applied()).extracting(a -> a.file()).isEqualTo(List.of("002_long.sql"));
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM ledger.entries"))
                    .isEqualTo(100_000L);
            assertThat(db.fetchValue(Boolean.class, "SELECT to_regclass('ledger.after_the_pause') IS NOT NULL"))
                    .isTrue();
            assertThat(MigrationManager.of(database.manager("ledger"), migrations, "ledger")
                            .status()
                            .pending())
                    .isEmpty();
        }
    }
}
