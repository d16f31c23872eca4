package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.TestDatabase;
import io.pgdbm.internal.migrations.MigrationLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class MigrationConcurrencyTest {
    private static final int FILES = 5;

    @TempDir
    Path dir;

    /** Each file inserts one row into a ledger; a file applied twice would insert twice. */
    private void writeCountingMigrations() {
        MigrationFolder folder = MigrationFolder.in(dir)
                .file(
                        "001_ledger.sql",
                        "CREATE TABLE {{tables.ledger}} (file text NOT NULL);\n"
                                + "INSERT INTO {{tables.ledger}} VALUES ('001');\nSELECT pg_sleep(0.05);\n");
        for (int i = 2; i <= FILES; i++) {
            folder.file(
                    String.format("%03d_step.sql", i),
                    "INSERT INTO {{tables.ledger}} VALUES ('" + i + "');\n" + "SELECT pg_sleep(0.05);\n");
        }
    }

    private static void assertAppliedExactlyOnce(DatabaseManager db, String module) {
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.ledger}}"))
                .isEqualTo((long) FILES);
        assertThat(db.fetchValue(Long.class, "SELECT count(DISTINCT file) FROM {{tables.ledger}}"))
                .isEqualTo((long) FILES);
        assertThat(db.fetchValue(
                        Long.class,
                        "SELECT count(*) FROM " + db.render("{{tables." + module + "_schema_history}}")
                                + " WHERE success"))
                .isEqualTo((long) FILES);
    }

    @Test
    void eightThreadsApplyingOneModuleApplyEachFileOnce(SharedPool pool) throws Exception {
        writeCountingMigrations();
        DatabaseManager db = pool.manager("threads");
        ExecutorService executor = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MigrationResult>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(executor.submit(() -> {
                start.await();
                return MigrationManager.of(db, dir, "racing").applyPending();
            }));
        }
        start.countDown();
        int appliedTotal = 0;
        for (Future<MigrationResult> run : runs) {
            appliedTotal += run.get(120, TimeUnit.SECONDS).applied().size();
        }
        executor.shutdown();
        assertThat(appliedTotal).isEqualTo(FILES);
        assertAppliedExactlyOnce(db, "racing");
    }

    @Test
    void fourProcessesApplyingOneModuleApplyEachFileOnce(TestDatabase database, SharedPool pool) throws Exception {
        writeCountingMigrations();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ProcessBuilder builder = new ProcessBuilder(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    MigrateMain.class.getName(),
                    dir.toString(),
                    "processes",
                    "multi_jvm");
            builder.environment().put("MIGRATE_URL", database.url());
            builder.redirectErrorStream(true);
            processes.add(builder.start());
        }
        int appliedTotal = 0;
        for (Process process : processes) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            String result = output.lines()
                    .filter(line -> line.startsWith("RESULT "))
                    .findFirst()
                    .orElseThrow();
            appliedTotal += Integer.parseInt(result.substring(result.lastIndexOf(' ') + 1));
        }
        assertThat(appliedTotal).isEqualTo(FILES);
        assertAppliedExactlyOnce(pool.manager("processes"), "multi_jvm");
    }

    @Test
    void differentModulesMigrateInParallel(TestDatabase database, @TempDir Path other) throws Exception {
        // Module "slow" blocks inside its migration on advisory lock 4242, which this test holds.
        MigrationFolder.in(dir)
                .file(
                        "001_wait.sql",
                        "SELECT pg_advisory_lock(4242);\nSELECT pg_advisory_unlock(4242);\n"
                                + "CREATE TABLE {{tables.slow_done}} (id int);\n");
        MigrationFolder.in(other).file("001_fast.sql", "CREATE TABLE {{tables.fast_done}} (id int);\n");
        try (SharedPool pool = SharedPool.create(
                        database.config().maxConnections(8).lockTimeout(null).build());
                Connection barrier = database.server().connect(database.name());
                Statement statement = barrier.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(4242)");
            DatabaseManager db = pool.manager("parallel");
            CompletableFuture<MigrationResult> slow = CompletableFuture.supplyAsync(
                    () -> MigrationManager.of(db, dir, "slow").applyPending());
            awaitMigrationLockHeld(db, "parallel", "slow");

            // While "slow" holds its migration lock and waits, another module migrates the same schema.
            MigrationResult fast = MigrationManager.of(db, other, "fast").applyPending();
            assertThat(fast.applied()).hasSize(1);
            assertThat(slow).isNotDone();

            statement.execute("SELECT pg_advisory_unlock(4242)");
            assertThat(slow.get(60, TimeUnit.SECONDS).applied()).hasSize(1);
            assertThat(db.tableExists("slow_done")).isTrue();
        }
    }

    private static void awaitMigrationLockHeld(DatabaseManager db, String schema, String module) {
        Awaitility.await("module " + module + " reaches its migration")
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    Boolean held = db.fetchValue(
                            Boolean.class,
                            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                                    + " AND classid::int = $1 AND objid::int = $2 AND granted)",
                            0x70676462,
                            MigrationLock.key(schema, module));
                    Boolean waiting = db.fetchValue(
                            Boolean.class,
                            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype ="
                                    + " 'advisory' AND objid::int = 4242 AND NOT granted)");
                    return held && waiting;
                });
    }
}
