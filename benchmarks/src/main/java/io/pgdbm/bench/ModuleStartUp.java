package io.pgdbm.bench;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.migrations.ModuleGraph;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S4 start-up: an application starting with {@value #MODULES} up-to-date modules, each in a schema of its own with
 * ten migrations, checks them all as the Spring starter does ({@link ModuleGraph#applyPending}: files read and
 * histories checked four modules at a time, then nothing to apply). Run once in a fresh JVM ({@link JmhRounds#once}): the modules were migrated beforehand by another JVM
 * ({@link #prepare}), so nothing of the migration path is warm. The pool is open and has answered one query
 * before the clock starts: that first query pays jOOQ's own initialisation, which any application pays at its
 * first query whether or not it has migrations.
 */
@State(Scope.Benchmark)
public class ModuleStartUp {
    static final int MODULES = 20;
    private static final String LOCATION = "classpath:db/tenant";

    SharedPool pool;

    @Setup
    public void open() {
        pool = SharedPool.create(BenchDatabase.config(2));
        pool.manager("public").fetchValue(Integer.class, "SELECT 1");
    }

    @TearDown
    public void close() {
        pool.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int checkModules() {
        return checkAll(pool);
    }

    static int checkAll(SharedPool pool) {
        List<MigrationResult> results =
                GRAPH.applyPending(module -> MigrationManager.of(pool.manager(schemaOf(module)), LOCATION, module));
        for (MigrationResult result : results) {
            if (result.status() != MigrationResult.Status.UP_TO_DATE) {
                throw new IllegalStateException(
                        "module " + result.module() + " was not up to date: " + result.status());
            }
        }
        return results.size();
    }

    /** The modules, none depending on another (the order of checks and applies does not change with dependencies). */
    private static final ModuleGraph GRAPH = graph();

    private static ModuleGraph graph() {
        ModuleGraph.Builder graph = ModuleGraph.builder();
        for (int i = 0; i < MODULES; i++) {
            graph.module(module(i));
        }
        return graph.build();
    }

    private static String schemaOf(String module) {
        return "startup_" + module.substring("module_".length());
    }

    /** Migrates the modules (in the JVM that runs the report, not in the measured fork). */
    static void prepare(String url) {
        try (SharedPool pool = SharedPool.create(config(url))) {
            for (int i = 0; i < MODULES; i++) {
                MigrationManager.of(pool.manager(schema(i)), LOCATION, module(i))
                        .applyPending();
            }
        }
    }

    static void drop(String url) {
        try (SharedPool pool = SharedPool.create(config(url))) {
            for (int i = 0; i < MODULES; i++) {
                pool.manager(schema(i)).execute("DROP SCHEMA IF EXISTS {{schema}} CASCADE");
            }
        }
    }

    private static DatabaseConfig config(String url) {
        return DatabaseConfig.builder()
                .url(url)
                .minConnections(1)
                .maxConnections(2)
                .build();
    }

    private static String schema(int i) {
        return String.format("startup_%02d", i);
    }

    private static String module(int i) {
        return String.format("module_%02d", i);
    }
}
