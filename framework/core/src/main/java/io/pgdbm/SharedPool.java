package io.pgdbm;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.LeasedDataSource;
import io.pgdbm.internal.LibraryVersions;
import io.pgdbm.internal.Masking;
import io.pgdbm.internal.PoolFactory;
import io.pgdbm.internal.PoolRegistry;
import io.pgdbm.internal.ReplicaRouter;
import io.pgdbm.internal.SessionGuard;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection pool to one database, shared by any number of schema-isolated {@link DatabaseManager}s.
 * Create one per database per process, hand {@link #manager(String)}s to the modules, and close the pool
 * when the application stops.
 *
 * <pre>{@code
 * try (SharedPool pool = SharedPool.create(config)) {
 *     DatabaseManager users = pool.manager("users");
 *     DatabaseManager orders = pool.manager("orders");
 *     ...
 * }
 * }</pre>
 *
 * <p>Managers never close the pool; only {@link #close()} does. Session settings from the configuration
 * (timeouts, {@code jit=off}, …) travel in each connection's start-up packet, not as SQL run on every
 * borrow. Opening a second pool to the same host, port and database in one process logs a warning.
 *
 * <p>A connection goes back to the pool exactly as the pool handed it out: when a borrow ran anything that
 * may change session state ({@code SET}, {@code set_config(…, false)}, {@code SET ROLE}, advisory locks,
 * {@code LISTEN}, cursors, temporary tables, a plain JDBC {@code Statement}, …), the connection is reset to
 * its configured settings in one round trip before the next borrower gets it, and evicted if that fails. A
 * borrow that changed nothing costs nothing extra. See docs/queries.md, "Session state".
 *
 * <p>Thread-safe.
 */
public final class SharedPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPool.class);

    private static final java.util.concurrent.atomic.AtomicInteger WRAPPED =
            new java.util.concurrent.atomic.AtomicInteger();

    private final DatabaseConfig config;
    private final DataSource dataSource;
    /** What managers borrow from: the data source itself, or a decorated view (e.g. transaction-aware). */
    private final DataSource connections;
    /** Null for a wrapped data source: then there are no pool statistics and nothing of ours to close. */
    private final HikariDataSource hikari;
    /** Resets what a borrow changed in its session; null for a wrapped data source (its owner's job). */
    private final SessionGuard guard;

    private final String name;
    private final String registryKey;
    /** The pool this one is a lease of; null for a pool of its own. */
    private final SharedPool leasedFrom;
    /** The pool this one is a decorated view of ({@link #decorated}); closing either closes it. */
    private final SharedPool viewOf;

    private final AtomicBoolean closed = new AtomicBoolean();

    /** The direct pool of {@link DatabaseConfig#migrationConfig()}, opened on first use (owner only). */
    private @Nullable HikariDataSource migrationHikari;

    private @Nullable DataSource migrationSource;

    /** Routes replica reads; made with the first {@link #replicaPool()} (owner only). */
    private @Nullable ReplicaRouter replicaRouter;

    private @Nullable SharedPool replicaPool;

    /** The pool this one is the replica view of; null for any other pool. */
    private final @Nullable SharedPool replicaOf;

    private SharedPool(
            DatabaseConfig config,
            DataSource dataSource,
            DataSource connections,
            HikariDataSource hikari,
            SessionGuard guard,
            String name,
            String registryKey) {
        this.config = config;
        this.dataSource = dataSource;
        this.connections = connections;
        this.hikari = hikari;
        this.guard = guard;
        this.name = name;
        this.registryKey = registryKey;
        this.leasedFrom = null;
        this.viewOf = null;
        this.replicaOf = null;
    }

    private SharedPool(SharedPool owner, DataSource connections) {
        this.config = owner.config;
        this.hikari = owner.hikari;
        this.guard = owner.guard;
        this.name = owner.name;
        this.registryKey = null;
        this.leasedFrom = null;
        this.viewOf = owner;
        this.dataSource = owner.dataSource;
        this.connections = connections;
        this.replicaOf = null;
    }

    /** The replica view of {@code owner}: its managers borrow from {@code router}. */
    private SharedPool(SharedPool owner, ReplicaRouter router) {
        this.config = owner.config;
        this.hikari = null;
        this.guard = owner.guard;
        this.name = owner.name + "-replicas";
        this.registryKey = null;
        this.leasedFrom = null;
        this.viewOf = null;
        this.replicaOf = owner;
        this.dataSource = owner.dataSource;
        this.connections = router;
    }

    private SharedPool(SharedPool owner) {
        this.config = owner.config;
        this.hikari = owner.hikari;
        this.guard = owner.guard;
        this.name = owner.name;
        this.registryKey = null;
        this.leasedFrom = owner;
        this.viewOf = null;
        this.dataSource = new LeasedDataSource(owner.dataSource, this::isClosed, owner.name);
        this.connections = new LeasedDataSource(owner.connections, this::isClosed, owner.name);
        this.replicaOf = null;
    }

    /**
     * Opens a pool with its {@code minConnections} connections open, retrying while the server starts up
     * (see {@link DatabaseConfig.Builder#startupRetries}).
     *
     * @throws ConnectionException when the server cannot be reached, refuses the login, or cannot give the
     *     pool {@code minConnections} connections within the acquire timeout
     */
    public static SharedPool create(DatabaseConfig config) {
        return create(config, UnaryOperator.identity());
    }

    /**
     * Opens a pool whose managers borrow connections through {@code decorator(pool)}: for example Spring's
     * {@code TransactionAwareDataSourceProxy}, so that the managers' verbs and {@code dsl()} join transactions
     * the framework manages. {@link #dataSource()} stays the undecorated pool (give it to the framework's
     * transaction manager); migrations use it directly.
     */
    public static SharedPool create(DatabaseConfig config, UnaryOperator<DataSource> decorator) {
        LibraryVersions.check();
        String key = config.hostsDescription() + "/" + config.database().orElse("");
        String poolName = PoolFactory.poolName(config);
        HikariDataSource hikari = PoolFactory.start(config, poolName);
        SessionGuard guard;
        try {
            guard = PoolFactory.warmUp(hikari, config);
        } catch (RuntimeException e) {
            hikari.close();
            throw e;
        }
        DataSource dataSource = guard.dataSource();
        int alreadyOpen = PoolRegistry.register(key);
        if (alreadyOpen > 0) {
            LOG.warn(
                    "Pool {} is the {} pool open to {} in this process. Each pool holds its own connections;"
                            + " create one SharedPool per database and give each module pool.manager(\"schema\").",
                    poolName,
                    ordinal(alreadyOpen + 1),
                    Masking.maskUrl(config.describe()));
        }
        LOG.debug(
                "Opened pool {} to {} ({}..{} connections)",
                poolName,
                config.describe(),
                config.minConnections(),
                config.maxConnections());
        return new SharedPool(config, dataSource, decorator.apply(dataSource), hikari, guard, poolName, key);
    }

    /**
     * Shares a {@link DataSource} that something else manages — one a framework configured, or a
     * transaction-aware proxy — instead of opening a pool. {@code config} supplies the password to mask
     * and the limits reported by {@link #stats()}; session settings are whatever the data source's
     * connections have. {@link #close()} does not close the data source.
     *
     * <p>A {@code transaction(...)} on a connection that is already inside a transaction (autocommit off,
     * for example one bound to a framework-managed transaction) runs as a savepoint and never commits. The
     * data source's owner decides when its connections go back to its pool, so pgdbm does not reset their
     * session state: that stays the owner's job.
     */
    public static SharedPool wrap(DataSource dataSource, DatabaseConfig config) {
        java.util.Objects.requireNonNull(dataSource, "dataSource");
        LibraryVersions.check();
        return new SharedPool(
                config, dataSource, dataSource, null, null, "pgdbm-wrapped-" + WRAPPED.incrementAndGet(), null);
    }

    /**
     * A lease of this pool: a pool of its own to its holder, sharing this pool's connections, that can be
     * closed on its own. Once closed, managers made from it and its data sources refuse to work, as those of a
     * closed pool do, while this pool and its connections stay open and nothing reconnects. For handing a
     * pool to work whose use must end — each test of a suite, a tenant being offboarded — without opening new
     * connections each time. Its statistics are this pool's; a lease of a lease ends with either.
     *
     * @throws ConnectionException when this pool is closed
     */
    public SharedPool lease() {
        if (isClosed()) {
            throw new ConnectionException("Pool " + name + " is closed; it cannot be leased", null);
        }
        return new SharedPool(this);
    }

    /**
     * This pool, with managers borrowing through {@code decorator(dataSource())} — for example Spring's
     * {@code TransactionAwareDataSourceProxy} — for a pool that was created without the decorator. The view
     * and this pool are one pool: same connections, same statistics, and closing either closes both.
     *
     * @throws ConfigurationException when this pool's connections are already decorated, or it is a lease:
     *     the decorator would not see the data source a framework's transactions are bound to
     */
    public SharedPool decorated(UnaryOperator<DataSource> decorator) {
        java.util.Objects.requireNonNull(decorator, "decorator");
        if (connections != dataSource || leasedFrom != null) {
            throw new ConfigurationException("Pool " + name + " already borrows through "
                    + connections.getClass().getName()
                    + "; a second decorator cannot be added to it. Create the pool with the decorator you need:"
                    + " SharedPool.create(config, decorator).");
        }
        SharedPool owner = viewOf != null ? viewOf : this;
        return new SharedPool(owner, decorator.apply(owner.dataSource));
    }

    /**
     * A manager whose templates expand to {@code schema}. Cheap: make one per module or tenant and keep
     * it. It shares this pool and never closes it.
     *
     * @throws IdentifierException when {@code schema} is not a valid identifier, or one PostgreSQL keeps for
     *     itself ({@code pg_…}, {@code information_schema})
     */
    public DatabaseManager manager(String schema) {
        Identifiers.requireSchema("schema", schema);
        return new DatabaseManager(this, schema, false);
    }

    /** A manager with the configuration's schema, or none (templates expand to unqualified names). */
    public DatabaseManager manager() {
        return new DatabaseManager(this, config.schema().orElse(null), false);
    }

    /** A snapshot of this pool's connections. */
    public PoolStats stats() {
        HikariPoolMXBean bean = hikari == null ? null : hikari.getHikariPoolMXBean();
        if (bean == null) {
            return new PoolStats(0, 0, 0, 0, config.minConnections(), config.maxConnections());
        }
        return new PoolStats(
                bean.getTotalConnections(),
                bean.getActiveConnections(),
                bean.getIdleConnections(),
                bean.getThreadsAwaitingConnection(),
                config.minConnections(),
                config.maxConnections());
    }

    /** The configuration this pool was made from. */
    public DatabaseConfig config() {
        return config;
    }

    /** The pool's name, as it appears in logs and metrics. */
    public String name() {
        return name;
    }

    /**
     * The pool as a {@link DataSource}, for frameworks and tools that need one. Connections from it are
     * plain pgJDBC connections: templates are not applied.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The data source managers borrow from: {@link #dataSource()}, or its decorated view when the pool was
     * created with a decorator.
     */
    public DataSource connections() {
        return connections;
    }

    /**
     * Borrows a connection (through {@link #connections()}); close it to give it back.
     *
     * @throws ConnectionException when none is free within the acquire timeout; the message holds the
     *     pool's statistics
     */
    public Connection acquire() {
        if (isClosed()) {
            throw new ConnectionException("Pool " + name + " is closed; no connection can be borrowed from it", null);
        }
        try {
            return connections.getConnection();
        } catch (SQLException e) {
            throw acquireFailure(e);
        }
    }

    ConnectionException acquireFailure(SQLException e) {
        if (isClosed()) {
            return new ConnectionException("Pool " + name() + " is closed; no connection can be borrowed from it", e);
        }
        PoolStats stats = stats();
        String cause = e.getCause() != null ? e.getCause().getMessage() : null;
        if (e instanceof SQLTransientConnectionException && (cause == null || stats.active() >= stats.max())) {
            return new ConnectionException(
                    "No connection became free in pool " + name() + " within "
                            + DatabaseConfig.format(config.acquireTimeout()) + " (" + stats
                            + "). Every connection is in use: raise maxConnections, keep transactions short,"
                            + " or look for code that holds connections (an unclosed transaction or stream).",
                    e);
        }
        return new ConnectionException(
                "Could not get a connection to " + config.describe() + " from pool " + name() + " (" + stats + "): "
                        + Masking.scrub(cause != null ? cause : e.getMessage(), config),
                e);
    }

    /**
     * Where migrations connect: {@link #dataSource()}, or — when the configuration has a {@link
     * DatabaseConfig.Builder#migrationUrl migrationUrl} — a pool of direct connections (as many as this pool's
     * {@code maxConnections}, at least 3, none kept idle), opened on first use and closed with this pool. Leases
     * and decorated views share their pool's.
     *
     * @throws ConnectionException when this pool is closed, or the direct connection cannot be opened
     */
    public DataSource migrationDataSource() {
        if (isClosed()) {
            throw new ConnectionException("Pool " + name + " is closed; migrations cannot connect through it", null);
        }
        if (config.migrationConfig().isEmpty()) {
            return dataSource;
        }
        return root().directMigrationSource();
    }

    private synchronized DataSource directMigrationSource() {
        if (migrationSource == null) {
            DatabaseConfig direct = config.migrationConfig().orElseThrow();
            PoolFactory.Opened opened = PoolFactory.open(direct, name + "-migrate");
            migrationHikari = opened.pool();
            migrationSource = opened.dataSource();
            LOG.debug(
                    "Opened pool {} for migrations, direct to {}", opened.pool().getPoolName(), direct.describe());
        }
        return migrationSource;
    }

    /**
     * The pool that {@link DatabaseManager#replica()} managers borrow from: the configured read replicas
     * (round robin over those reachable and within {@link DatabaseConfig#replicaMaxLag()}), else the primary
     * or a failure as {@link DatabaseConfig#replicaFallback()} says. Every connection is read-only. Without
     * replicas configured, reads go to the primary, read-only. Made on first use and shared by this pool's
     * leases and views; closed with this pool (closing it does nothing).
     */
    public SharedPool replicaPool() {
        if (replicaOf != null) {
            return this;
        }
        SharedPool owner = root();
        synchronized (owner) {
            if (owner.replicaPool == null) {
                if (owner.isClosed()) {
                    throw new ConnectionException("Pool " + name + " is closed; it has no replicas to read from", null);
                }
                owner.replicaRouter = router();
                owner.replicaPool = new SharedPool(owner, owner.replicaRouter);
            }
            return owner.replicaPool;
        }
    }

    /** The router of this pool's replica reads: a pool per replica, and a read-only one to the primary. */
    private ReplicaRouter router() {
        java.util.List<ReplicaRouter.Target> targets = new java.util.ArrayList<>();
        java.util.List<DatabaseConfig> replicas = config.replicas();
        for (int i = 0; i < replicas.size(); i++) {
            DatabaseConfig replica = replicas.get(i);
            String poolName = name + "-replica-" + (i + 1);
            targets.add(new ReplicaRouter.Target(
                    replica.hostsDescription(), () -> PoolFactory.open(replica, poolName), Masking.secret(replica)));
        }
        DatabaseConfig readOnlyPrimary = config.toBuilder()
                .replicaUrls(java.util.List.of())
                .migrationUrl(null)
                .serverSetting("default_transaction_read_only", "on")
                .minConnections(0)
                .build();
        return new ReplicaRouter(
                name,
                targets,
                () -> PoolFactory.open(readOnlyPrimary, name + "-read-only"),
                config.replicaFallback(),
                config.replicaMaxLag().orElse(null),
                config.replicaCheckInterval());
    }

    /**
     * The configured replicas as last checked (a check runs first when one is due); empty when none are
     * configured. Reads no replica until something reads through {@code replica()} or asks here.
     */
    public java.util.List<ReplicaStatus> replicaStatus() {
        if (config.replicas().isEmpty()) {
            return java.util.List.of();
        }
        replicaPool();
        return root().replicaRouter.status();
    }

    /** How many reads through {@code replica()} went to the primary because no replica could serve them. */
    public long replicaFallbacks() {
        SharedPool owner = root();
        synchronized (owner) {
            return owner.replicaRouter == null ? 0 : owner.replicaRouter.fallbacks();
        }
    }

    /** Whether this is a {@link #replicaPool()}. */
    public boolean isReplicaPool() {
        return replicaOf != null;
    }

    private SharedPool root() {
        SharedPool owner = replicaOf != null ? replicaOf : this;
        while (owner.leasedFrom != null || owner.viewOf != null) {
            owner = owner.leasedFrom != null ? owner.leasedFrom : owner.viewOf;
        }
        return owner;
    }

    /** Whether {@link #close()} has been called (for a lease: on it, or on the pool it leases). */
    public boolean isClosed() {
        return closed.get()
                || (leasedFrom != null && leasedFrom.isClosed())
                || (viewOf != null && viewOf.isClosed())
                || (replicaOf != null && replicaOf.isClosed());
    }

    /**
     * Closes every connection (of a pool opened by {@link #create}; a wrapped data source stays open). Managers
     * made from this pool stop working. Closing a {@link #lease()} ends only the lease. Idempotent.
     */
    @Override
    public void close() {
        if (replicaOf != null) {
            return; // the replica view closes with the pool it belongs to
        }
        if (viewOf != null) {
            closed.set(true);
            viewOf.close();
            return;
        }
        if (closed.compareAndSet(false, true)) {
            if (leasedFrom != null) {
                LOG.debug("Ended a lease of pool {}", name);
                return;
            }
            if (hikari != null) {
                PoolRegistry.unregister(registryKey);
                hikari.close();
            }
            synchronized (this) {
                if (migrationHikari != null) {
                    migrationHikari.close();
                }
                if (replicaRouter != null) {
                    replicaRouter.close();
                }
            }
            LOG.debug("Closed pool {}", name());
        }
    }

    @Override
    public String toString() {
        return "SharedPool[" + name() + ", " + config.describe() + ", " + stats() + "]";
    }

    private static String ordinal(int n) {
        return switch (n) {
            case 2 -> "second";
            case 3 -> "third";
            default -> n + "th";
        };
    }
}
