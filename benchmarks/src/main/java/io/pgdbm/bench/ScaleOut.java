package io.pgdbm.bench;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jooq.Record;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S8: S1's point select through PgBouncer in transaction mode ({@code pgbouncer}, against {@code direct}), and
 * through a {@code replica()} view on a streaming replica ({@code replica}, against {@code primary}: the same
 * manager's reads on the primary). {@code raw…} are pgJDBC through and around PgBouncer, to tell its cost from
 * ours. The addresses come from {@link BenchmarkReport}, which starts PgBouncer and the replica.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScaleOut {
    static final String PGBOUNCER_PROPERTY = "pgdbm.bench.pgbouncer.url";
    static final String REPLICA_PROPERTY = "pgdbm.bench.replica.url";

    /** The pools of S8: direct, through PgBouncer, and with a replica. */
    @State(Scope.Benchmark)
    public static class Targets {
        SharedPool direct;
        SharedPool bounced;
        SharedPool replicated;
        DatabaseManager directDb;
        DatabaseManager bouncedDb;
        DatabaseManager primaryDb;
        DatabaseManager replicaDb;

        @Setup
        public void open() {
            direct = SharedPool.create(BenchDatabase.config(4));
            directDb = direct.manager("bench");
            String bouncer = System.getProperty(PGBOUNCER_PROPERTY);
            if (bouncer != null) {
                bounced = SharedPool.create(DatabaseConfig.builder()
                        .url(bouncer)
                        .transactionPooling(true)
                        .minConnections(4)
                        .maxConnections(4)
                        .startupRetries(0, Duration.ZERO)
                        .build());
                bouncedDb = bounced.manager("bench");
            }
            String replica = System.getProperty(REPLICA_PROPERTY);
            if (replica != null) {
                replicated = SharedPool.create(
                        BenchDatabase.config(4).toBuilder().replicaUrl(replica).build());
                primaryDb = replicated.manager("bench");
                replicaDb = primaryDb.replica();
            }
        }

        @TearDown
        public void close() {
            for (SharedPool pool : new SharedPool[] {direct, bounced, replicated}) {
                if (pool != null) {
                    pool.close();
                }
            }
        }

        DatabaseManager require(DatabaseManager db, String what) {
            if (db == null) {
                throw new IllegalStateException(what + " is not set up: run S8 through benchmarks/run.sh");
            }
            return db;
        }
    }

    private static long id() {
        return ThreadLocalRandom.current().nextLong(1, 10_001);
    }

    @Benchmark
    public Record direct(Targets targets, CpuCounters cpu) {
        Record row = targets.directDb.fetchOne(PointSelect.PGDBM_SQL, id()).orElseThrow();
        cpu.op();
        return row;
    }

    @Benchmark
    public Record pgbouncer(Targets targets, CpuCounters cpu) {
        Record row = targets.require(targets.bouncedDb, "PgBouncer")
                .fetchOne(PointSelect.PGDBM_SQL, id())
                .orElseThrow();
        cpu.op();
        return row;
    }

    @Benchmark
    public Object[] rawDirect(Targets targets, CpuCounters cpu) throws SQLException {
        return raw(targets.direct, cpu);
    }

    @Benchmark
    public Object[] rawPgbouncer(Targets targets, CpuCounters cpu) throws SQLException {
        targets.require(targets.bouncedDb, "PgBouncer");
        return raw(targets.bounced, cpu);
    }

    private static Object[] raw(SharedPool pool, CpuCounters cpu) throws SQLException {
        try (Connection connection = pool.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(PointSelect.RAW_SQL)) {
            statement.setLong(1, id());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Object[] row = PointSelect.row(rs);
                cpu.op();
                return row;
            }
        }
    }

    @Benchmark
    public Record primary(Targets targets, CpuCounters cpu) {
        Record row = targets.require(targets.primaryDb, "The replica")
                .fetchOne(PointSelect.PGDBM_SQL, id())
                .orElseThrow();
        cpu.op();
        return row;
    }

    @Benchmark
    public Record replica(Targets targets, CpuCounters cpu) {
        Record row = targets.require(targets.replicaDb, "The replica")
                .fetchOne(PointSelect.PGDBM_SQL, id())
                .orElseThrow();
        cpu.op();
        return row;
    }
}
