package io.pgdbm.bench;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.SchemaProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S6: one shared pool of four connections, N schema-isolated managers, eight threads each querying a random
 * manager. Throughput with N = 10 and N = 100 must stay within 5% of N = 1: managers cost nothing per query.
 * {@code raw} runs the same statements over the same N schemas in pgJDBC, to show what N schemas cost the
 * server by themselves.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ManyManagers {
    @Param({"1", "10", "100"})
    public int managers;

    SharedPool pool;
    DatabaseManager[] all;
    String[] rawSql;

    @Setup
    public void open() {
        pool = SharedPool.create(BenchDatabase.config(4));
        List<String> schemas = new ArrayList<>();
        for (int i = 0; i < managers; i++) {
            schemas.add("many_" + i);
        }
        SchemaProvisioner.of(pool, "classpath:db/tenant", "tenant")
                .parallelism(1)
                .provision(schemas);
        all = schemas.stream().map(pool::manager).toArray(DatabaseManager[]::new);
        rawSql = schemas.stream()
                .map(schema -> "SELECT name FROM " + schema + ".t1 WHERE id = ?")
                .toArray(String[]::new);
    }

    @TearDown
    public void close() {
        pool.close();
    }

    @Benchmark
    public String query(CpuCounters cpu) {
        DatabaseManager db = all[ThreadLocalRandom.current().nextInt(all.length)];
        String name = db.fetchValue(String.class, "SELECT name FROM {{tables.t1}} WHERE id = $1", 1L);
        cpu.op();
        return name;
    }

    /** The same work in raw pgJDBC: what N schemas cost the server, with no managers involved. */
    @Benchmark
    public String raw(CpuCounters cpu) throws java.sql.SQLException {
        String sql = rawSql[ThreadLocalRandom.current().nextInt(rawSql.length)];
        try (java.sql.Connection connection = pool.dataSource().getConnection();
                java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, 1L);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                rs.next();
                cpu.op();
                return rs.getString(1);
            }
        }
    }
}
