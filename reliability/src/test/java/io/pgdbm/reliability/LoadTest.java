package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provisioning under query load, pool exhaustion, statement timeouts: clear errors, a healthy pool after. */
class LoadTest {
    @TempDir
    Path dir;

    private TestDatabase database;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void database() {
        database = TestDatabaseFactory.shared().create();
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        database.close();
    }

    @Test
    void hundredTenantsProvisionedInParallelWhileQueriesRunAgainstExistingOnes() throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("tenant"));
        Files.writeString(
                migrations.resolve("001_notes.sql"),
                "CREATE TABLE {{tables.notes}} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);");
        Files.writeString(
                migrations.resolve("002_tags.sql"),
                "CREATE TABLE {{tables.tags}} (note_id bigint REFERENCES {{tables.notes}}, tag text);");
        Files.writeString(migrations.resolve("003_index.sql"), "CREATE INDEX ON {{tables.tags}} (tag);");

        try (SharedPool pool =
                SharedPool.create(database.config().maxConnections(12).build())) {
            List<String> existing =
                    IntStream.range(0, 5).mapToObj(i -> "existing_" + i).toList();
            assertThat(SchemaProvisioner.of(pool, migrations, "tenant")
                            .provision(existing)
                            .allSucceeded())
                    .isTrue();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong queries = new AtomicLong();
            List<Throwable> queryFailures = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> load = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                load.add(CompletableFuture.runAsync(
                        () -> {
                            int i = 0;
                            while (!stop.get()) {
                                DatabaseManager tenant = pool.manager(existing.get(i++ % existing.size()));
                                try {
                                    long id = tenant.fetchValue(
                                            Long.class,
                                            "INSERT INTO {{tables.notes}} (body) VALUES ($1) RETURNING id",
                                            "n" + i);
                                    tenant.execute("INSERT INTO {{tables.tags}} VALUES ($1, $2)", id, "t");
                                    queries.addAndGet(2);
                                } catch (PgdbmException e) {
                                    queryFailures.add(e);
                                }
                            }
                        },
                        threads));
            }

            List<String> fresh =
                    IntStream.range(0, 100).mapToObj(i -> "tenant_" + i).toList();
            long started = System.nanoTime();
            ProvisioningReport report = SchemaProvisioner.of(pool, migrations, "tenant")
                    .parallelism(4)
                    .provision(fresh);
            long millis = (System.nanoTime() - started) / 1_000_000;
            stop.set(true);
            CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(report.allSucceeded()).as(report.toString()).isTrue();
            assertThat(queryFailures)
                    .as("queries against existing tenants during provisioning")
                    .isEmpty();
            assertThat(queries.get()).isPositive();
            DatabaseManager db = pool.manager();
            for (String schema : fresh) {
                assertThat(db.fetchAll("SELECT script FROM " + schema + ".tenant_schema_history WHERE success"
                                        + " ORDER BY installed_rank")
                                .getValues("script", String.class))
                        .as(schema)
                        .containsExactly("001_notes.sql", "002_tags.sql", "003_index.sql");
            }
            // a second pass finds all 105 up to date and applies nothing twice
            List<String> all = new ArrayList<>(existing);
            all.addAll(fresh);
            ProvisioningReport again = SchemaProvisioner.of(pool, migrations, "tenant")
                    .parallelism(4)
                    .provision(all);
            assertThat(again.allSucceeded()).isTrue();
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'"))
                    .isEqualTo(100L);
            assertThat(pool.stats().active()).isZero();
            org.slf4j.LoggerFactory.getLogger(LoadTest.class)
                    .info(
                            "Provisioned 100 tenants x 3 migrations in {} ms with parallelism 4 while {} queries ran",
                            millis,
                            queries.get());
        }
    }

    @Test
    void statementTimeoutsGiveAClearErrorAndLeaveTheConnectionUsable() {
        try (SharedPool pool = SharedPool.create(database.config()
                .maxConnections(1)
                .statementTimeout(Duration.ofMillis(300))
                .build())) {
            DatabaseManager db = pool.manager();
            db.execute("CREATE TABLE t (id int)");
            assertThatThrownBy(() -> db.execute("SELECT pg_sleep(3)"))
                    .isInstanceOfSatisfying(
                            QueryException.class, e -> assertThat(e.sqlState()).contains("57014"))
                    .hasMessageContaining("statement timeout");
            // inside a transaction: the timeout rolls it back, and the single connection is fine afterwards
            assertThatThrownBy(() -> db.transaction(tx -> {
                        tx.execute("INSERT INTO t VALUES (1)");
                        tx.execute("SELECT pg_sleep(3)");
                    }))
                    .isInstanceOf(QueryException.class);
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM t")).isZero();
            assertThat(db.fetchValue(String.class, "SELECT current_setting('transaction_isolation')"))
                    .isNotNull();
            assertThat(pool.stats().active()).isZero();
            assertThat(pool.stats().total()).isEqualTo(1);
        }
    }
}
