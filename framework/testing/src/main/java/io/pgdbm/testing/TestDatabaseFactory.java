package io.pgdbm.testing;

import io.pgdbm.SharedPool;
import io.pgdbm.internal.migrations.MigrationFile;
import io.pgdbm.internal.migrations.MigrationSource;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.postgres.IsolatedDatabases;
import io.pgdbm.postgres.PostgresServer;
import io.pgdbm.postgres.PostgresServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out isolated test databases, fast.
 *
 * <p>A database with migrations comes from a template: the first request for a set of migrations
 * migrates a template database once (keyed by the migrations' checksums; it survives across test classes
 * and runs while they are unchanged, and changed migrations build a new one), and every request clones it
 * with {@code CREATE DATABASE … TEMPLATE}. A small background pool keeps {@code prefetch} clones ready,
 * each with its pool already open, so a test gets its database without waiting.
 *
 * <pre>{@code
 * TestDatabaseFactory factory = TestDatabaseFactory.shared();
 * try (TestDatabase db = factory.create(MigrationSpec.of("classpath:db/users", "users", "users"))) {
 *     DatabaseManager users = db.manager();
 *     ...
 * }
 * }</pre>
 *
 * <p>The server is {@link PostgresServers#shared()}: {@code PGDBM_TEST_URL}, else an embedded server,
 * else Testcontainers. Prefetch defaults to 2 ({@code pgdbm.test.prefetch} changes it). Thread-safe; one
 * factory per JVM is the norm.
 */
public final class TestDatabaseFactory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestDatabaseFactory.class);
    private static final String EMPTY = "";
    private static TestDatabaseFactory shared;

    private final IsolatedDatabases databases;
    private final int prefetch;
    private final ExecutorService prefetcher;
    private final Map<String, Queue<TestDatabase>> ready = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private TestDatabaseFactory(PostgresServer server, int prefetch) {
        this.databases = IsolatedDatabases.on(server);
        this.prefetch = prefetch;
        this.prefetcher = Executors.newFixedThreadPool(Math.max(1, Math.min(prefetch, 2)), runnable -> {
            Thread thread = new Thread(runnable, "pgdbm-prefetch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The factory of this JVM, on the shared test server; closed when the JVM exits. */
    public static synchronized TestDatabaseFactory shared() {
        if (shared == null) {
            TestDatabaseFactory factory = builder().build();
            Runtime.getRuntime().addShutdownHook(new Thread(factory::close, "pgdbm-test-databases-shutdown"));
            shared = factory;
        }
        return shared;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server databases are made on. */
    public PostgresServer server() {
        return databases.server();
    }

    /** An empty database with no schema. */
    public TestDatabase create() {
        return take(EMPTY, () -> newEmpty(null, null));
    }

    /**
     * An empty database named {@code test_<hex>_<suffix>} whose default manager uses {@code schema}
     * (created). Not prefetched.
     */
    public TestDatabase create(String suffix, String schema) {
        return newEmpty(suffix, schema);
    }

    /** A database with these modules' migrations applied, cloned from a template. */
    public TestDatabase create(MigrationSpec... migrations) {
        return create(List.of(migrations));
    }

    /** A database with these modules' migrations applied, in order, cloned from a template. */
    public TestDatabase create(List<MigrationSpec> migrations) {
        if (migrations.isEmpty()) {
            return create();
        }
        IsolatedDatabases.Template template = template(migrations);
        String key = template.family() + "|" + template.content();
        return take(key, () -> newClone(template, migrations.get(0).schema()));
    }

    private TestDatabase take(String key, java.util.function.Supplier<TestDatabase> maker) {
        Queue<TestDatabase> queue = ready.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
        TestDatabase database = queue.poll();
        if (database == null) {
            database = maker.get();
        }
        refill(key, queue, maker);
        return database;
    }

    private void refill(String key, Queue<TestDatabase> queue, java.util.function.Supplier<TestDatabase> maker) {
        AtomicInteger inFlight = pending.computeIfAbsent(key, k -> new AtomicInteger());
        while (!closed && queue.size() + inFlight.get() < prefetch) {
            inFlight.incrementAndGet();
            try {
                prefetcher.execute(() -> {
                    try {
                        if (!closed) {
                            queue.add(maker.get());
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("Prefetching a test database failed: {}", e.getMessage());
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.decrementAndGet();
                return;
            }
        }
    }

    private TestDatabase newEmpty(String suffix, String schema) {
        TestDatabase database = new TestDatabase(databases.server(), databases.create(suffix), schema, databases::drop);
        if (schema != null) {
            database.manager(schema).ensureSchema();
        }
        return database;
    }

    private TestDatabase newClone(IsolatedDatabases.Template template, String defaultSchema) {
        return new TestDatabase(
                databases.server(), databases.createFrom(template, null), defaultSchema, databases::drop);
    }

    /** The template for a set of migrations: its family is the specs, its content their files' checksums. */
    IsolatedDatabases.Template template(List<MigrationSpec> migrations) {
        StringBuilder family = new StringBuilder();
        StringBuilder content = new StringBuilder();
        for (MigrationSpec spec : migrations) {
            family.append(spec.module())
                    .append('@')
                    .append(spec.schema())
                    .append('<')
                    .append(spec.location())
                    .append(';');
            for (MigrationFile file : load(spec)) {
                content.append(spec.module())
                        .append('/')
                        .append(file.fileName())
                        .append('=')
                        .append(file.checksum())
                        .append(';');
            }
        }
        return new IsolatedDatabases.Template(family.toString(), content.toString(), name -> migrate(name, migrations));
    }

    private static List<MigrationFile> load(MigrationSpec spec) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : TestDatabaseFactory.class.getClassLoader();
        try {
            return MigrationSource.load(spec.location(), loader);
        } catch (MigrationSource.InvalidMigrationsException e) {
            throw new MigrationException(
                    "Migrations of module '" + spec.module() + "' for a test database: " + e.getMessage(),
                    spec.module(),
                    spec.schema(),
                    e.file(),
                    e.line(),
                    null,
                    e);
        }
    }

    private void migrate(String templateDatabase, List<MigrationSpec> migrations) {
        try (SharedPool pool = SharedPool.create(io.pgdbm.DatabaseConfig.builder()
                .url(databases.server().url(templateDatabase))
                .minConnections(0)
                .maxConnections(4)
                .startupRetries(0, Duration.ZERO)
                .build())) {
            for (MigrationSpec spec : migrations) {
                MigrationManager.of(pool.manager(spec.schema()), spec.location(), spec.module())
                        .applyPending();
            }
        }
    }

    /** Drops prefetched databases and waits for pending drops. */
    @Override
    public void close() {
        closed = true;
        prefetcher.shutdown();
        try {
            prefetcher.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Queue<TestDatabase> queue : ready.values()) {
            for (TestDatabase database = queue.poll(); database != null; database = queue.poll()) {
                database.close();
            }
        }
        databases.close();
    }

    /** Options for a factory of your own (the {@link #shared()} one suits most suites). */
    public static final class Builder {
        private PostgresServer server;
        private int prefetch = Integer.getInteger("pgdbm.test.prefetch", 2);

        private Builder() {}

        /** The server to use; default {@link PostgresServers#shared()}. */
        public Builder server(PostgresServer server) {
            this.server = server;
            return this;
        }

        /** How many ready databases to keep per template (0 turns prefetching off). */
        public Builder prefetch(int prefetch) {
            if (prefetch < 0) {
                throw new IllegalArgumentException("prefetch (" + prefetch + ") must not be negative");
            }
            this.prefetch = prefetch;
            return this;
        }

        public TestDatabaseFactory build() {
            return new TestDatabaseFactory(server != null ? server : PostgresServers.shared(), prefetch);
        }
    }
}
