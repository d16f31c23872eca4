package io.pgdbm.bench;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * S3: 100 000 rows of six columns loaded in one transaction. {@code copyRecords} (COPY FROM STDIN) against
 * {@code executeMany} (a JDBC batch of INSERTs). One operation loads all rows; rows/s = 100 000 / time.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BulkLoad {
    public static final int ROWS = 100_000;
    static final List<String> COLUMNS = List.of("id", "name", "price", "qty", "created_at", "active");

    /** The rows, built once; the target table emptied before each load. */
    @State(Scope.Benchmark)
    public static class Rows {
        List<List<?>> rows;

        @Setup
        public void build() {
            rows = rows(ROWS);
        }

        @Setup(Level.Invocation)
        public void empty(BenchDatabase bench) {
            bench.db.execute("TRUNCATE {{tables.copy_target}}");
        }
    }

    public static List<List<?>> rows(int count) {
        List<List<?>> rows = new ArrayList<>(count);
        OffsetDateTime start = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < count; i++) {
            rows.add(List.of(
                    (long) i,
                    "row number " + i + " with\ttab",
                    BigDecimal.valueOf(i % 100_000, 2),
                    i % 1000,
                    start.plusSeconds(i),
                    i % 2 == 0));
        }
        return rows;
    }

    @Benchmark
    public long copyRecords(BenchDatabase bench, Rows rows) {
        return bench.db.copyRecords("copy_target", COLUMNS, rows.rows);
    }

    @Benchmark
    public long executeMany(BenchDatabase bench, Rows rows) {
        return bench.db.transactionResult(tx -> tx.executeMany(
                "INSERT INTO {{tables.copy_target}} (id, name, price, qty, created_at, active) VALUES ($1, $2, $3, $4, $5, $6)",
                rows.rows));
    }
}
