package io.pgdbm.bench;

import io.pgdbm.postgres.PostgresServers;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
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
 * S5 as a suite sees it: one invocation is a whole suite of {@code tests} (200) tests run one after another, each
 * taking a migrated database from pgdbm-testing's factory (as {@code @PgdbmTest} does), writing a row (so the
 * database must be reset before it is used again), spending {@code body} milliseconds, and giving the database
 * back. JMH times the suite (single shot): its wall time less the bodies is what the tests waited for pgdbm.
 * Each handout's own latency is written to the file named by {@value #SAMPLES_PROPERTY}, for the median and
 * p95. The factory is warmed with {@value #WARMUP_TESTS} tests first, as a suite's first class warms it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class TestSuites {
    static final int WARMUP_TESTS = 20;
    static final String SAMPLES_PROPERTY = "pgdbm.bench.samples";

    /** How many tests a suite runs. */
    @Param({"200"})
    public int tests;

    /** How long each test's body takes, in milliseconds. */
    @Param({"0", "10", "150"})
    public int body;

    /** Whether databases are reset and reused (the default), or every test gets a new clone. */
    @Param({"true", "false"})
    public boolean reuse;

    private TestDatabaseFactory factory;
    private long[] handouts;

    @Setup(Level.Trial)
    public void open() throws InterruptedException {
        var server = PostgresServers.fromUrl(System.getProperty(BenchDatabase.URL_PROPERTY));
        factory = TestDatabaseFactory.builder()
                .server(server)
                .prefetch(2)
                .reuse(reuse)
                .build();
        handouts = new long[tests];
        long[] warmup = new long[WARMUP_TESTS];
        suite(warmup);
    }

    @TearDown(Level.Trial)
    public void close() {
        factory.close();
        String file = System.getProperty(SAMPLES_PROPERTY);
        if (file != null) {
            StringBuilder lines = new StringBuilder();
            for (long nanos : handouts) {
                lines.append(nanos).append('\n');
            }
            try {
                Files.writeString(Path.of(file), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Benchmark
    public long suite() throws InterruptedException {
        return suite(handouts);
    }

    private long suite(long[] latencies) throws InterruptedException {
        long rows = 0;
        for (int test = 0; test < latencies.length; test++) {
            long started = System.nanoTime();
            TestDatabase database = factory.create(TestDatabases.SPEC);
            latencies[test] = System.nanoTime() - started;
            try {
                rows += database.manager().execute("INSERT INTO {{tables.t1}} (name) VALUES ($1)", "test " + test);
                if (body > 0) {
                    Thread.sleep(body);
                }
            } finally {
                database.close();
            }
        }
        return rows;
    }
}
