package io.pgdbm.bench;

import static io.pgdbm.bench.db.Tables.WRITES;

import io.pgdbm.PreparedQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * S1t writes: a one-row insert and a one-row update by primary key, through raw pgJDBC, plain {@code dsl()}
 * with generated classes and RenderMapping, and {@code prepare(Query)}. Each insert takes a new id; each update
 * changes one of the 10 000 seeded rows.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PointWrite {
    static final String RAW_INSERT = "INSERT INTO bench.writes (id, name, qty, created_at) VALUES (?, ?, ?, ?)";
    static final String RAW_UPDATE = "UPDATE bench.writes SET qty = ? WHERE id = ?";
    static final OffsetDateTime AT = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /** Ids no earlier fork took: forks run one after another, each starting from the clock. */
    private static final AtomicLong NEXT_ID = new AtomicLong(System.currentTimeMillis() * 1_000);

    /** The two prepared writes, made once per fork on {@link BenchDatabase#db}. */
    @State(Scope.Benchmark)
    public static class Prepared {
        PreparedQuery insert;
        PreparedQuery update;

        @Setup
        public void prepare(BenchDatabase bench) {
            insert = bench.db.prepare(bench.db
                    .dsl()
                    .insertInto(WRITES, WRITES.ID, WRITES.NAME, WRITES.QTY, WRITES.CREATED_AT)
                    .values(0L, "", 0, AT));
            update = bench.db.prepare(
                    bench.db.dsl().update(WRITES).set(WRITES.QTY, 0).where(WRITES.ID.eq(0L)));
        }
    }

    private static long newId() {
        return NEXT_ID.incrementAndGet();
    }

    private static long existingId() {
        return ThreadLocalRandom.current().nextLong(1, 10_001);
    }

    private static int qty() {
        return ThreadLocalRandom.current().nextInt(100);
    }

    @Benchmark
    public int rawInsert(BenchDatabase bench, CpuCounters cpu) throws SQLException {
        try (Connection connection = bench.pool.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(RAW_INSERT)) {
            statement.setLong(1, newId());
            statement.setString(2, "new");
            statement.setInt(3, qty());
            statement.setObject(4, AT);
            int rows = statement.executeUpdate();
            cpu.op();
            return rows;
        }
    }

    @Benchmark
    public int dslInsert(BenchDatabase bench, CpuCounters cpu) {
        int rows = bench.db
                .dsl()
                .insertInto(WRITES, WRITES.ID, WRITES.NAME, WRITES.QTY, WRITES.CREATED_AT)
                .values(newId(), "new", qty(), AT)
                .execute();
        cpu.op();
        return rows;
    }

    @Benchmark
    public int preparedInsert(Prepared prepared, CpuCounters cpu) {
        int rows = prepared.insert.execute(newId(), "new", qty(), AT);
        cpu.op();
        return rows;
    }

    @Benchmark
    public int rawUpdate(BenchDatabase bench, CpuCounters cpu) throws SQLException {
        try (Connection connection = bench.pool.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(RAW_UPDATE)) {
            statement.setInt(1, qty());
            statement.setLong(2, existingId());
            int rows = statement.executeUpdate();
            cpu.op();
            return rows;
        }
    }

    @Benchmark
    public int dslUpdate(BenchDatabase bench, CpuCounters cpu) {
        int rows = bench.db
                .dsl()
                .update(WRITES)
                .set(WRITES.QTY, qty())
                .where(WRITES.ID.eq(existingId()))
                .execute();
        cpu.op();
        return rows;
    }

    @Benchmark
    public int preparedUpdate(Prepared prepared, CpuCounters cpu) {
        int rows = prepared.update.execute(qty(), existingId());
        cpu.op();
        return rows;
    }
}
