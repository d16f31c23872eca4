package io.pgdbm.bench;

import static io.pgdbm.bench.db.Tables.ITEMS;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.PreparedSelect;
import io.pgdbm.SharedPool;
import io.pgdbm.bench.db.BenchModule;
import io.pgdbm.bench.db.tables.records.ItemsRecord;
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
    /** S1t's query prepared once: {@code selectFrom(ITEMS).where(ITEMS.ID.eq(?))}. */
    public PreparedSelect<ItemsRecord> itemById;

    @Setup
    public void open() {
        pool = SharedPool.create(config(4));
        db = pool.manager("bench").forModule(BenchModule.INSTANCE);
        monitored = db.withMonitor(io.pgdbm.monitoring.QueryMonitor.builder()
                .slowQueryThreshold(Duration.ofSeconds(1))
                .build());
        itemById = db.prepare(db.dsl().selectFrom(ITEMS).where(ITEMS.ID.eq(0L)));
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
