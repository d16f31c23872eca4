package io.pgdbm.bench;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.postgres.IsolatedDatabases;
import io.pgdbm.postgres.PostgresServers;
import io.pgdbm.testing.MigrationSpec;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S5's baselines: handing a test a fresh database with ten migrations applied. {@code scratch} (the baseline)
 * creates a database and migrates it; {@code template} clones the migrated template (no prefetch, no reuse);
 * {@code cloneFloor} is the bare {@code CREATE DATABASE … TEMPLATE}: the server's floor. The suites themselves
 * are {@link TestSuites}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class TestDatabases {
    static final int TEST_BODY_MILLIS = 150;
    static final MigrationSpec SPEC = MigrationSpec.of("classpath:db/tenant", "tenant", "app");

    IsolatedDatabases databases;
    TestDatabaseFactory unprefetched;
    TestDatabase handedOut;
    String floorTemplate;
    java.sql.Connection admin;
    String floorClone;
    SharedPool scratchPool;
    String scratchName;

    @Setup(Level.Trial)
    public void open() {
        var server = PostgresServers.fromUrl(System.getProperty(BenchDatabase.URL_PROPERTY));
        databases = IsolatedDatabases.on(server);
        unprefetched = TestDatabaseFactory.builder()
                .server(server)
                .prefetch(0)
                .reuse(false)
                .build();
        unprefetched.create(SPEC).close(); // builds the template
        floorTemplate = databases.ensureTemplate(new IsolatedDatabases.Template("bench-floor", "v1", name -> {
            try (SharedPool pool = SharedPool.create(DatabaseConfig.builder()
                    .url(databases.server().url(name))
                    .maxConnections(2)
                    .build())) {
                MigrationManager.of(pool.manager("app"), SPEC.location(), SPEC.module())
                        .applyPending();
            }
        }));
        try {
            admin = databases.server().connect(databases.server().adminDatabase());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Invocation)
    public void release() throws InterruptedException {
        if (handedOut != null) {
            handedOut.close();
            handedOut = null;
            Thread.sleep(TEST_BODY_MILLIS); // let the background drop finish before the next clone
        }
        if (floorClone != null) {
            databases.dropNow(floorClone);
            floorClone = null;
        }
        if (scratchPool != null) {
            scratchPool.close();
            databases.drop(scratchName);
            scratchPool = null;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws java.sql.SQLException {
        admin.close();
        unprefetched.close();
        databases.close();
    }

    @Benchmark
    public Object scratch() {
        scratchName = databases.create("scratch");
        scratchPool = SharedPool.create(DatabaseConfig.builder()
                .url(databases.server().url(scratchName))
                .minConnections(1)
                .maxConnections(4)
                .build());
        return MigrationManager.of(scratchPool.manager("app"), SPEC.location(), SPEC.module())
                .applyPending();
    }

    @Benchmark
    public TestDatabase template() {
        handedOut = unprefetched.create(SPEC);
        return handedOut;
    }

    /**
     * The server's floor: one {@code CREATE DATABASE … TEMPLATE} of the same migrated template, on an open
     * admin connection, with the strategy pgdbm-testing picks. No client can hand out a clone faster.
     */
    @Benchmark
    public String cloneFloor() throws java.sql.SQLException {
        String name = "floor_" + Long.toHexString(System.nanoTime());
        try (java.sql.Statement statement = admin.createStatement()) {
            String strategy;
            try (java.sql.ResultSet rs = statement.executeQuery("SELECT current_setting('fsync')")) {
                rs.next();
                strategy = "off".equals(rs.getString(1)) ? "FILE_COPY" : "WAL_LOG";
            }
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + floorTemplate + " STRATEGY " + strategy);
        }
        floorClone = name;
        return name;
    }
}
