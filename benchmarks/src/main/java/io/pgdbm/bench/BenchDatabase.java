package io.pgdbm.bench;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.bench.db.BenchModule;
import java.time.Duration;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The prepared benchmark database ({@code pgdbm.bench.url}, set by {@link BenchmarkReport}) and one pool of four
 * connections on it, shared by a benchmark's threads. {@code db} is the bench module's manager (schema
 * {@code bench}, generated classes mapped onto it).
 */
@State(Scope.Benchmark)
public class BenchDatabase {
    public static final String URL_PROPERTY = "pgdbm.bench.url";

    public SharedPool pool;
    public DatabaseManager db;
    /** {@link #db} with a query monitor (slow-query threshold set, history on): what monitoring costs. */
    public DatabaseManager monitored;

    @Setup
    public void open() {
        pool = SharedPool.create(config(4));
        db = pool.manager("bench").forModule(BenchModule.INSTANCE);
        monitored = db.withMonitor(io.pgdbm.monitoring.QueryMonitor.builder()
                .slowQueryThreshold(Duration.ofSeconds(1))
                .build());
    }

    @TearDown
    public void close() {
        pool.close();
    }

    static DatabaseConfig config(int connections) {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            throw new IllegalStateException(URL_PROPERTY + " is not set: run benchmarks through benchmarks/run.sh");
        }
        return DatabaseConfig.builder()
                .url(url)
                .minConnections(connections)
                .maxConnections(connections)
                .statementTimeout(Duration.ofMinutes(5))
                .startupRetries(0, Duration.ZERO)
                .build();
    }
}
