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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out isolated test databases, fast.
 *
 * <p>A database with migrations comes from a template: the first request for a set of migrations
 * migrates a template database once (keyed by the migrations' checksums; it survives across test classes
 * and runs while they are unchanged, and changed migrations build a new one), and a request is served by
 * a database another test gave back, reset to the template's state, or else by a new clone ({@code CREATE
 * DATABASE … TEMPLATE}). A database whose test changed its catalog (DDL) is never reused: it is dropped in
 * the background. A small background pool keeps {@code prefetch} databases ready, each with its pool
 * already open, so a test gets its database without waiting (see docs/testing.md, "How it is fast").
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

    /** How long a request waits for a database being reset before it makes a clone instead. */
    private static final long RESET_WAIT_MILLIS = 2_000;

    private final IsolatedDatabases databases;
    private final int prefetch;
    private final boolean reuse;
    private final ExecutorService prefetcher;
    private final ExecutorService resetter;
    private final Map<String, BlockingQueue<TestDatabase>> ready = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> resetting = new ConcurrentHashMap<>();
    private final Map<String, TemplateState> states = new ConcurrentHashMap<>();
    private final java.util.Set<String> reportedNotReusable = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TestDatabaseFactory(PostgresServer server, int prefetch, boolean reuse, String prefix) {
        this.databases = IsolatedDatabases.on(server, prefix);
        this.prefetch = prefetch;
        this.reuse = reuse;
        this.prefetcher = Executors.newFixedThreadPool(Math.max(1, Math.min(prefetch, 2)), daemon("pgdbm-prefetch"));
        this.resetter = Executors.newFixedThreadPool(2, daemon("pgdbm-reset"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
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
        return take(EMPTY, () -> newEmpty(null, null, EMPTY));
    }

    /**
     * An empty database named {@code test_<hex>_<suffix>} whose default manager uses {@code schema}
     * (created; null for none). Not prefetched.
     */
    public TestDatabase create(String suffix, @Nullable String schema) {
        return newEmpty(suffix, schema, null);
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
        return take(key, () -> newClone(template, migrations.get(0).schema(), key));
    }

    private TestDatabase take(String key, java.util.function.Supplier<TestDatabase> maker) {
        BlockingQueue<TestDatabase> queue = ready.computeIfAbsent(key, k -> new LinkedBlockingQueue<>());
        TestDatabase database = queue.poll();
        if (database == null && counter(resetting, key).get() > 0) {
            // a database is being reset: that takes milliseconds, a clone takes tens to hundreds
            try {
                database = queue.poll(RESET_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (database == null) {
            database = maker.get();
        }
        refill(key, queue, maker);
        return database;
    }

    private static AtomicInteger counter(Map<String, AtomicInteger> counters, String key) {
        return counters.computeIfAbsent(key, k -> new AtomicInteger());
    }

    private void refill(String key, Queue<TestDatabase> queue, java.util.function.Supplier<TestDatabase> maker) {
        AtomicInteger inFlight = counter(pending, key);
        AtomicInteger beingReset = counter(resetting, key);
        while (!closed && queue.size() + inFlight.get() + beingReset.get() < prefetch) {
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

    private TestDatabase newEmpty(String suffix, String schema, String key) {
        TestDatabase database =
                new TestDatabase(databases.server(), databases.create(suffix), schema, key, this::release);
        if (schema != null) {
            database.manager(schema).ensureSchema();
        }
        return learnTemplate(database);
    }

    private TestDatabase newClone(IsolatedDatabases.Template template, String defaultSchema, String key) {
        return learnTemplate(new TestDatabase(
                databases.server(), databases.createFrom(template, null), defaultSchema, key, this::release));
    }

    /** The first untouched database of a template tells what the template holds (once per key and JVM). */
    private TestDatabase learnTemplate(TestDatabase fresh) {
        if (reuse && fresh.templateKey != null) {
            states.computeIfAbsent(fresh.templateKey, key -> TemplateState.read(fresh.pool()));
        }
        return fresh;
    }

    /** A test gave {@code database} back: reset it for the next test, or drop it. */
    private void release(TestDatabase database) {
        TemplateState state = database.templateKey == null ? null : states.get(database.templateKey);
        if (closed || state == null) {
            discard(database);
            return;
        }
        if (state.notReusable != null) {
            if (reportedNotReusable.add(database.templateKey)) {
                LOG.info("Test databases are cloned for every test, not reused: {}", state.notReusable);
            }
            discard(database);
            return;
        }
        AtomicInteger beingReset = counter(resetting, database.templateKey);
        beingReset.incrementAndGet();
        try {
            resetter.execute(() -> {
                try {
                    TestDatabase next = closed ? null : reset(database, state);
                    if (next != null) {
                        ready.computeIfAbsent(database.templateKey, k -> new LinkedBlockingQueue<>())
                                .add(next);
                    } else {
                        discard(database);
                    }
                } finally {
                    beingReset.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            beingReset.decrementAndGet();
            discard(database);
        }
    }

    /**
     * Resets a used database to its template's state and returns its handle for the next test; null when it
     * must not be reused: its pool was closed or still lends a connection, its catalog changed, or the reset
     * failed.
     *
     * <p>The reset runs on a connection of the database's own pool, which stays open (its sessions were reset
     * as each borrow ended) and ends only the sessions the test opened itself. A test that left temporary
     * schemas behind costs more: the pool is closed, every session ended, the schemas dropped, and a new pool
     * opened.
     */
    private TestDatabase reset(TestDatabase database, TemplateState state) {
        SharedPool pool = database.ownPool();
        if (pool.isClosed() || pool.stats().active() > 0) {
            return null;
        }
        try {
            TemplateState.Outcome outcome;
            // Straight from HikariCP: the reset changes no session state (SET LOCAL only), so the session
            // guard's own reset would be a wasted round trip.
            try (java.sql.Connection connection = pool.dataSource()
                    .unwrap(com.zaxxer.hikari.HikariDataSource.class)
                    .getConnection()) {
                outcome = state.checkAndReset(connection, TestDatabase.POOL_APPLICATION_NAME);
            }
            if (outcome == TemplateState.Outcome.END_ALL_SESSIONS) {
                pool.close();
                try (java.sql.Connection connection = databases.server().connect(database.name())) {
                    outcome = state.checkAndReset(connection, null);
                }
                if (outcome == TemplateState.Outcome.RESET) {
                    return database.reopened();
                }
            }
            if (outcome == TemplateState.Outcome.CATALOG_CHANGED) {
                LOG.debug("Test database {} changed its catalog: dropped, not reused", database.name());
                return null;
            }
            return database.again();
        } catch (java.sql.SQLException | java.io.IOException | RuntimeException e) {
            LOG.debug("Test database {} could not be reset ({}): dropped, not reused", database.name(), e.getMessage());
            return null;
        }
    }

    private void discard(TestDatabase database) {
        database.ownPool().close();
        databases.drop(database.name());
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

    /** Drops ready and reused databases and waits for pending drops. */
    @Override
    public void close() {
        closed = true;
        prefetcher.shutdown();
        resetter.shutdown();
        try {
            prefetcher.awaitTermination(30, TimeUnit.SECONDS);
            resetter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Queue<TestDatabase> queue : ready.values()) {
            for (TestDatabase database = queue.poll(); database != null; database = queue.poll()) {
                discard(database);
            }
        }
        databases.close();
    }

    /** Options for a factory of your own (the {@link #shared()} one suits most suites). */
    public static final class Builder {
        private PostgresServer server;
        private int prefetch = Integer.getInteger("pgdbm.test.prefetch", 2);
        private boolean reuse = !"false".equalsIgnoreCase(System.getProperty("pgdbm.test.reuse", "true"));
        private String prefix = System.getProperty("pgdbm.test.prefix", IsolatedDatabases.DEFAULT_PREFIX);

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

        /**
         * Whether a database a test gave back may be reset and handed out again (when only its data changed);
         * default true, {@code -Dpgdbm.test.reuse=false} turns it off: every test then gets a new clone.
         */
        public Builder reuse(boolean reuse) {
            this.reuse = reuse;
            return this;
        }

        /**
         * How test databases are named: {@code <prefix><12 hex>}; default {@code test_} ({@code
         * -Dpgdbm.test.prefix=…}). Only databases with this prefix and pgdbm's comment are ever swept.
         *
         * @throws IllegalArgumentException when the prefix is not 1 to 20 lower-case letters, digits or
         *     underscores, starting with a letter
         */
        public Builder prefix(String prefix) {
            this.prefix = IsolatedDatabases.checkPrefix(prefix);
            return this;
        }

        public TestDatabaseFactory build() {
            return new TestDatabaseFactory(server != null ? server : PostgresServers.shared(), prefetch, reuse, prefix);
        }
    }
}
