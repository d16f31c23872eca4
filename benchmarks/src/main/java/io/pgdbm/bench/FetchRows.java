package io.pgdbm.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jooq.Record;
import org.jooq.Result;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** S7: 1, 100 and 10 000 rows of six columns, into records ({@code fetchAll}) or a raw ResultSet loop. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class FetchRows {
    @Param({"1", "100", "10000"})
    public int rows;

    @Benchmark
    public List<Object[]> raw(BenchDatabase bench, CpuCounters cpu) throws SQLException {
        try (Connection connection = bench.pool.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, name, price, qty, created_at, active FROM bench.items ORDER BY id LIMIT ?")) {
            statement.setInt(1, rows);
            List<Object[]> result = new ArrayList<>(rows);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    result.add(PointSelect.row(rs));
                }
            }
            cpu.op();
            return result;
        }
    }

    @Benchmark
    public Result<Record> fetchAll(BenchDatabase bench, CpuCounters cpu) {
        Result<Record> result = bench.db.fetchAll(
                "SELECT id, name, price, qty, created_at, active FROM {{tables.items}} ORDER BY id LIMIT $1", rows);
        cpu.op();
        return result;
    }
}
