package io.pgdbm.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.pgdbm.ConnectionException;
import io.pgdbm.ReplicaFallback;
import io.pgdbm.ReplicaStatus;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The connections of {@code replica()} managers: round robin over the replicas that are reachable and within
 * the configured lag, else the primary (read-only) or a clear failure, as configured. Each replica has a small
 * pool of its own, opened on its first check. Replicas are checked — reachable, in recovery, replay lag — at
 * most once per check interval, by whichever read comes first after it; a read never waits for a check except
 * the very first.
 */
public final class ReplicaRouter implements DataSource, AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("io.pgdbm.SharedPool");

    /** Replay lag in milliseconds: none when everything received is replayed (an idle primary is not lag). */
    private static final String CHECK = "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() THEN 0"
            + " WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0"
            + " ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 0)"
            + " END";

    private final String name;
    private final List<Replica> replicas = new ArrayList<>();
    private final Supplier<PoolFactory.Opened> openFallback;
    private final ReplicaFallback fallbackMode;
    private final @Nullable Duration maxLag;
    private final Duration checkInterval;
    private final ReentrantLock checking = new ReentrantLock();
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder fallbacks = new LongAdder();
    private volatile long nextCheck;
    private volatile boolean closed;
    private HikariDataSource fallbackPool;
    private DataSource fallback;

    /** One replica: its address for messages, how to open its pool, and the password to mask in its errors. */
    public record Target(
            String server,
            Supplier<PoolFactory.Opened> open,
            @Nullable String secret) {}

    private static final class Replica {
        final Target target;
        HikariDataSource pool;
        volatile DataSource source;
        volatile ReplicaStatus status;

        Replica(Target target) {
            this.target = target;
            this.status = new ReplicaStatus(
                    target.server(), ReplicaStatus.State.UNCHECKED, Optional.empty(), Optional.empty());
        }
    }

    /**
     * @param openFallback opens the read-only pool to the primary, on the first read that needs it
     * @param maxLag the most replay lag a serving replica may have; null for no bound
     */
    public ReplicaRouter(
            String name,
            List<Target> targets,
            Supplier<PoolFactory.Opened> openFallback,
            ReplicaFallback fallbackMode,
            @Nullable Duration maxLag,
            Duration checkInterval) {
        this.name = name;
        this.openFallback = openFallback;
        this.fallbackMode = fallbackMode;
        this.maxLag = maxLag;
        this.checkInterval = checkInterval;
        for (Target target : targets) {
            replicas.add(new Replica(target));
        }
    }

    /** The replicas' states, refreshed first when a check is due. */
    public List<ReplicaStatus> status() {
        refreshIfDue(true);
        return replicas.stream().map(r -> r.status).toList();
    }

    /** How many reads went to the primary because no replica could serve them. */
    public long fallbacks() {
        return fallbacks.sum();
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new ConnectionException("Pool " + name + " is closed; no connection can be borrowed from it", null);
        }
        refreshIfDue(false);
        List<String> passedOver = new ArrayList<>();
        int count = replicas.size();
        int first = next.getAndIncrement();
        for (int i = 0; i < count; i++) {
            Replica replica = replicas.get(Math.floorMod(first + i, count));
            ReplicaStatus status = replica.status;
            if (!status.serving()) {
                passedOver.add(status.server() + ": "
                        + status.problem().orElse(status.state().name()));
                continue;
            }
            try {
                return replica.source.getConnection();
            } catch (SQLException e) {
                String problem = Masking.scrub(String.valueOf(e.getMessage()), replica.target.secret());
                replica.status = unreachable(replica, problem);
                passedOver.add(status.server() + ": " + problem);
            }
        }
        if (fallbackMode == ReplicaFallback.PRIMARY || count == 0) {
            // without replicas configured, replica() reads the primary whatever the fallback says
            if (count > 0) {
                fallbacks.increment();
                LOG.debug("Pool {}: no replica can serve a read ({}); reading from the primary", name, passedOver);
            }
            return fallback().getConnection();
        }
        throw new ConnectionException(
                "No replica of pool " + name + " can serve reads ("
                        + String.join("; ", passedOver)
                        + ") and replicaFallback is FAIL. Read through the primary manager, or set replicaFallback"
                        + " to PRIMARY.",
                null);
    }

    private synchronized DataSource fallback() {
        if (fallback == null) {
            if (closed) {
                throw new ConnectionException(
                        "Pool " + name + " is closed; no connection can be borrowed from it", null);
            }
            PoolFactory.Opened opened = openFallback.get();
            fallbackPool = opened.pool();
            fallback = opened.dataSource();
        }
        return fallback;
    }

    /**
     * Checks the replicas when the interval has passed: the first check (or {@code wait}) blocks for it, later
     * ones are left to the thread that got there first.
     */
    private void refreshIfDue(boolean wait) {
        if (replicas.isEmpty() || System.nanoTime() - nextCheck < 0) {
            return;
        }
        boolean first = nextCheck == 0;
        if (first || wait) {
            checking.lock();
        } else if (!checking.tryLock()) {
            return;
        }
        try {
            if (System.nanoTime() - nextCheck < 0 && nextCheck != 0) {
                return;
            }
            for (Replica replica : replicas) {
                check(replica);
            }
            nextCheck = System.nanoTime() + checkInterval.toNanos();
        } finally {
            checking.unlock();
        }
    }

    private void check(Replica replica) {
        if (closed) {
            return;
        }
        ReplicaStatus before = replica.status;
        try {
            if (replica.source == null) {
                PoolFactory.Opened opened = replica.target.open().get();
                synchronized (this) {
                    if (closed) {
                        opened.pool().close(); // closed while it opened
                        return;
                    }
                    replica.pool = opened.pool();
                }
                replica.source = opened.dataSource();
            }
            try (Connection connection = replica.source.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(CHECK)) {
                row.next();
                Duration lag = Duration.ofMillis(Math.max(0, Math.round(row.getDouble(2))));
                if (maxLag != null && lag.compareTo(maxLag) > 0) {
                    replica.status = new ReplicaStatus(
                            before.server(),
                            ReplicaStatus.State.LAGGING,
                            Optional.of(lag),
                            Optional.of("replay lag " + lag.toMillis() + " ms" + " is over replicaMaxLag "
                                    + maxLag.toMillis() + " ms"));
                } else {
                    replica.status = new ReplicaStatus(
                            before.server(), ReplicaStatus.State.SERVING, Optional.of(lag), Optional.empty());
                }
            }
        } catch (SQLException | RuntimeException e) {
            replica.status =
                    unreachable(replica, Masking.scrub(String.valueOf(e.getMessage()), replica.target.secret()));
        }
        if (replica.status.state() != before.state()) {
            LOG.info(
                    "Pool {}: replica {} is now {}{}",
                    name,
                    before.server(),
                    replica.status.state().name().toLowerCase(java.util.Locale.ROOT),
                    replica.status.problem().map(p -> " (" + p + ")").orElse(""));
        }
    }

    private static ReplicaStatus unreachable(Replica replica, String problem) {
        return new ReplicaStatus(
                replica.status.server(), ReplicaStatus.State.UNREACHABLE, Optional.empty(), Optional.of(problem));
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Replica replica : replicas) {
            if (replica.pool != null) {
                replica.pool.close();
            }
        }
        if (fallbackPool != null) {
            fallbackPool.close();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("replica connections use the pool's credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer: pgdbm logs through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the replicas' own pools have their timeouts
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
