package io.pgdbm.bench;

import static io.pgdbm.bench.db.Tables.ITEMS;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jooq.Record;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * S1 and S1t: one row by primary key. {@code raw} is pgJDBC with a {@code PreparedStatement} on the same pool;
 * {@code fetchOne} is plain SQL with {@code {{tables.items}}} and {@code $1}; {@code dsl} is jOOQ with generated
 * classes and RenderMapping. Each materialises the six columns. The {@code …Monitored} pair runs the same
 * through a manager with a {@code QueryMonitor}: the cost of monitoring. {@code dslPrepared} is the {@code dsl}
 * query prepared once with {@code prepare(Select)}, run with a new id each time.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PointSelect {
    static final String RAW_SQL = "SELECT id, name, price, qty, created_at, active FROM bench.items WHERE id = ?";
    static final String PGDBM_SQL =
            "SELECT id, name, price, qty, created_at, active FROM {{tables.items}} WHERE id = $1";

    /** The baseline's reading of one row of {@code bench.items}: the six columns with pgJDBC's getters. */
    static Object[] row(ResultSet rs) throws SQLException {
        return new Object[] {
            rs.getLong(1),
            rs.getString(2),
            rs.getBigDecimal(3),
            rs.getInt(4),
            rs.getObject(5, OffsetDateTime.class),
            rs.getBoolean(6)
        };
    }

    private static long id() {
        return ThreadLocalRandom.current().nextLong(1, 10_001);
    }

    @Benchmark
    public Object[] raw(BenchDatabase bench, CpuCounters cpu) throws SQLException {
        try (Connection connection = bench.pool.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(RAW_SQL)) {
            statement.setLong(1, id());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Object[] row = row(rs);
                cpu.op();
                return row;
            }
        }
    }

    @Benchmark
    public Record fetchOne(BenchDatabase bench, CpuCounters cpu) {
        Record row = bench.db.fetchOne(PGDBM_SQL, id()).orElseThrow();
        cpu.op();
        return row;
    }

    @Benchmark
    public Record dsl(BenchDatabase bench, CpuCounters cpu) {
        Record row = bench.db.dsl().selectFrom(ITEMS).where(ITEMS.ID.eq(id())).fetchOne();
        cpu.op();
        return row;
    }

    @Benchmark
    public Record dslPrepared(BenchDatabase bench, CpuCounters cpu) {
        Record row = bench.itemById.fetchOne(id()).orElseThrow();
        cpu.op();
        return row;
    }

    @Benchmark
    public Record fetchOneMonitored(BenchDatabase bench, CpuCounters cpu) {
        Record row = bench.monitored.fetchOne(PGDBM_SQL, id()).orElseThrow();
        cpu.op();
        return row;
    }

    @Benchmark
    public Record dslMonitored(BenchDatabase bench, CpuCounters cpu) {
        Record row =
                bench.monitored.dsl().selectFrom(ITEMS).where(ITEMS.ID.eq(id())).fetchOne();
        cpu.op();
        return row;
    }
}
