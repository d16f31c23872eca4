package io.pgdbm.monitoring;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PgdbmException;
import io.pgdbm.PoolStats;
import io.pgdbm.internal.Identifiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Record;

/**
 * Health and diagnostics for one manager's database and schema: what pgdbm's debugger gives, from the
 * server's own statistics ({@code pg_stat_activity}, {@code pg_locks}, {@code pg_class}).
 *
 * <pre>{@code
 * Diagnostics diagnostics = Diagnostics.of(users);
 * HealthReport health = diagnostics.health();
 * String plan = diagnostics.explain("SELECT * FROM {{tables.users}} WHERE email = $1", List.of(email), false);
 * }</pre>
 *
 * <p>Statements shown are truncated to 500 characters. Thread-safe.
 */
public final class Diagnostics {
    /** Statements running longer than this make {@link #health()} degraded. */
    public static final Duration DEFAULT_LONG_RUNNING = Duration.ofSeconds(30);

    private static final double BUSY = 0.9;

    private final DatabaseManager db;

    private Diagnostics(DatabaseManager db) {
        this.db = db;
    }

    public static Diagnostics of(DatabaseManager db) {
        return new Diagnostics(db);
    }

    /** Health with the default long-running threshold (30 s). */
    public HealthReport health() {
        return health(DEFAULT_LONG_RUNNING);
    }

    /**
     * Unhealthy when the server does not answer; degraded when callers wait for connections, the pool is 90%
     * busy, statements are blocked by locks, or statements run longer than {@code longRunning}.
     */
    public HealthReport health(Duration longRunning) {
        PoolStats pool = db.poolStats();
        long started = System.nanoTime();
        try {
            db.fetchValue(Integer.class, "SELECT 1");
        } catch (PgdbmException e) {
            return new HealthReport(
                    HealthReport.Status.UNHEALTHY,
                    List.of("PostgreSQL does not answer: " + e.getMessage()),
                    pool,
                    Optional.empty(),
                    List.of(),
                    List.of());
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        List<BlockingQuery> blocking = blockingQueries();
        List<RunningQuery> slow = longRunningQueries(longRunning);
        List<String> reasons = new ArrayList<>();
        if (pool.waiting() > 0) {
            reasons.add(pool.waiting() + " caller(s) waiting for a connection (" + pool + ")");
        }
        if (pool.max() > 0 && pool.utilization() >= BUSY) {
            reasons.add(String.format(
                    java.util.Locale.ROOT,
                    "pool %.0f%% busy (%d of %d connections)",
                    pool.utilization() * 100,
                    pool.active(),
                    pool.max()));
        }
        if (!blocking.isEmpty()) {
            reasons.add(blocking.size() + " statement(s) blocked by locks");
        }
        if (!slow.isEmpty()) {
            reasons.add(slow.size() + " statement(s) running longer than " + longRunning.toSeconds() + " s");
        }
        reasons.addAll(replicaReasons());
        return new HealthReport(
                reasons.isEmpty() ? HealthReport.Status.HEALTHY : HealthReport.Status.DEGRADED,
                reasons,
                pool,
                Optional.of(latency),
                blocking,
                slow);
    }

    /**
     * Replicas that do not serve reads, one line each, and where reads through {@code replica()} go instead
     * when none does.
     */
    private List<String> replicaReasons() {
        List<io.pgdbm.ReplicaStatus> replicas = db.pool().replicaStatus();
        List<String> reasons = new ArrayList<>();
        for (io.pgdbm.ReplicaStatus replica : replicas) {
            if (!replica.serving() && replica.state() != io.pgdbm.ReplicaStatus.State.UNCHECKED) {
                reasons.add("replica " + replica.server() + " is "
                        + replica.state().name().toLowerCase(java.util.Locale.ROOT)
                        + replica.problem().map(p -> ": " + p).orElse(""));
            }
        }
        if (!replicas.isEmpty() && replicas.stream().noneMatch(io.pgdbm.ReplicaStatus::serving)) {
            reasons.add(
                    db.pool().config().replicaFallback() == io.pgdbm.ReplicaFallback.PRIMARY
                            ? "no replica serves reads: replica() reads go to the primary"
                            : "no replica serves reads: replica() reads fail (replicaFallback FAIL)");
        }
        return reasons;
    }

    /**
     * The plan of a statement as JSON ({@code EXPLAIN (FORMAT JSON)}); with {@code analyze}, the statement runs
     * ({@code EXPLAIN ANALYZE}, with buffers) inside a transaction that is rolled back, so writes leave nothing.
     * Templates and {@code $n} arguments work as in the verbs.
     */
    public String explain(String sql, List<?> args, boolean analyze) {
        String explain = "EXPLAIN (FORMAT JSON" + (analyze ? ", ANALYZE, BUFFERS" : "") + ") " + sql;
        Object[] arguments = args.toArray();
        if (!analyze) {
            return db.fetchValue(String.class, explain, arguments);
        }
        try {
            db.transaction(tx -> {
                throw new RolledBack(tx.fetchValue(String.class, explain, arguments));
            });
            throw new IllegalStateException("unreachable");
        } catch (RolledBack done) {
            return done.plan;
        }
    }

    /** Tables of the manager's schema, the largest first. */
    public List<TableSize> tableSizes() {
        return tableSizes(db.schema().orElse("public"));
    }

    /**
     * Tables of {@code schema}, the largest first.
     *
     * @throws io.pgdbm.IdentifierException when {@code schema} is not a valid identifier
     */
    public List<TableSize> tableSizes(String schema) {
        Identifiers.require("schema", schema);
        List<TableSize> sizes = new ArrayList<>();
        for (Record row : db.fetchAll("""
                SELECT n.nspname::text AS schema, c.relname::text AS name, greatest(c.reltuples, 0)::bigint AS estimated_rows,
                       pg_total_relation_size(c.oid) AS total_bytes, pg_relation_size(c.oid) AS table_bytes,
                       pg_indexes_size(c.oid) AS index_bytes
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm')
                ORDER BY pg_total_relation_size(c.oid) DESC, c.relname""", schema)) {
            sizes.add(new TableSize(
                    row.get("schema", String.class),
                    row.get("name", String.class),
                    row.get("estimated_rows", Long.class),
                    row.get("total_bytes", Long.class),
                    row.get("table_bytes", Long.class),
                    row.get("index_bytes", Long.class)));
        }
        return sizes;
    }

    /** Statements of this database waiting for locks, each with a session that holds one. */
    public List<BlockingQuery> blockingQueries() {
        List<BlockingQuery> blocked = new ArrayList<>();
        for (Record row : db.fetchAll("""
                SELECT w.pid AS blocked_pid, coalesce(left(w.query, 500), '') AS blocked_query,
                       extract(epoch FROM clock_timestamp() - coalesce(w.state_change, w.query_start))::float8 AS waiting,
                       b.pid AS blocking_pid, coalesce(left(b.query, 500), '') AS blocking_query,
                       coalesce(b.state, '') AS blocking_state
                FROM pg_stat_activity w
                JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocker(pid) ON true
                JOIN pg_stat_activity b ON b.pid = blocker.pid
                WHERE w.datname = current_database()
                ORDER BY waiting DESC""")) {
            blocked.add(new BlockingQuery(
                    row.get("blocked_pid", Integer.class),
                    row.get("blocked_query", String.class),
                    seconds(row.get("waiting", Double.class)),
                    row.get("blocking_pid", Integer.class),
                    row.get("blocking_query", String.class),
                    row.get("blocking_state", String.class)));
        }
        return blocked;
    }

    /** Statements of this database (other than this check) running longer than {@code threshold}. */
    public List<RunningQuery> longRunningQueries(Duration threshold) {
        List<RunningQuery> running = new ArrayList<>();
        for (Record row : db.fetchAll("""
                SELECT pid, coalesce(state, '') AS state, extract(epoch FROM clock_timestamp() - query_start)::float8 AS running,
                       coalesce(left(query, 500), '') AS query, coalesce(application_name, '') AS application_name,
                       coalesce(usename::text, '') AS usename
                FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                  AND backend_type = 'client backend' AND query_start < clock_timestamp() - make_interval(secs => $1)
                ORDER BY query_start""", threshold.toMillis() / 1000.0)) {
            running.add(new RunningQuery(
                    row.get("pid", Integer.class),
                    row.get("state", String.class),
                    seconds(row.get("running", Double.class)),
                    row.get("query", String.class),
                    row.get("application_name", String.class),
                    row.get("usename", String.class)));
        }
        return running;
    }

    private static Duration seconds(Double value) {
        return value == null ? Duration.ZERO : Duration.ofNanos((long) (value * 1e9));
    }

    /** Carries the plan out of the transaction that {@code explain(…, true)} rolls back. */
    private static final class RolledBack extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient String plan;

        RolledBack(String plan) {
            super(null, null, false, false);
            this.plan = plan;
        }
    }
}
