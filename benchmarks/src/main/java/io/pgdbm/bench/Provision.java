package io.pgdbm.bench;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.internal.SqlTemplate;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S4: provision K tenant schemas with ten migrations each. {@code pgdbm} uses {@link SchemaProvisioner} (one
 * Flyway run and history table per schema); {@code rawJdbc} executes the same files, rendered, on plain JDBC.
 * Both use {@code parallelism} threads, on a pool of three connections per thread (a schema being migrated
 * holds its lock's and Flyway's). {@code noOp} re-runs an up-to-date module (a new MigrationManager, as at
 * application start).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class Provision {
    private static final AtomicLong SCHEMAS = new AtomicLong();

    @Param({"1", "10", "100", "1000"})
    public int tenants;

    @Param({"1", "4"})
    public int parallelism;

    SharedPool pool;
    List<String> files;
    List<String> created = new ArrayList<>();
    List<String> next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        pool = SharedPool.create(BenchDatabase.config(parallelism * 3));
        files = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            try (InputStream in = getClass().getResourceAsStream(String.format("/db/tenant/%03d_t%d.sql", i, i))) {
                files.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        DatabaseManager warm = pool.manager("prov_warm");
        MigrationManager.of(warm, "classpath:db/tenant", "tenant").applyPending();
    }

    @Setup(Level.Invocation)
    public void names() {
        next = new ArrayList<>();
        long run = SCHEMAS.incrementAndGet();
        for (int i = 0; i < tenants; i++) {
            next.add("prov_" + ProcessHandle.current().pid() + "_" + run + "_" + i);
        }
        created.addAll(next);
    }

    @TearDown(Level.Iteration)
    public void dropSchemas() {
        for (String schema : created) {
            pool.manager(schema).execute("DROP SCHEMA IF EXISTS {{schema}} CASCADE");
        }
        created.clear();
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.manager("prov_warm").execute("DROP SCHEMA IF EXISTS {{schema}} CASCADE");
        pool.close();
    }

    @Benchmark
    public int pgdbm() {
        ProvisioningReport report = SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
                .parallelism(parallelism)
                .provision(next);
        if (!report.allSucceeded()) {
            throw new IllegalStateException("provisioning failed: " + report.failed());
        }
        return report.succeeded().size();
    }

    @Benchmark
    public int rawJdbc() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String schema : next) {
                futures.add(workers.submit(() -> {
                    try (Connection connection = pool.dataSource().getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute("CREATE SCHEMA \"" + schema + "\"");
                        for (String file : files) {
                            statement.execute(SqlTemplate.render(file, schema));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return next.size();
        } finally {
            workers.shutdown();
        }
    }

    /** An up-to-date module's no-op run; divide by nothing: one module per operation. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Object noOp() {
        return MigrationManager.of(pool.manager("prov_warm"), "classpath:db/tenant", "tenant")
                .applyPending();
    }
}
