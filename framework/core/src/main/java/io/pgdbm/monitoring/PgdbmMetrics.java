package io.pgdbm.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgdbm.PoolStats;
import io.pgdbm.SharedPool;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for pgdbm: gauges of a {@link SharedPool} ({@code pgdbm.pool.connections}, tagged {@code
 * state} — active, idle, total, waiting, max, min — and {@code pool}) and, with a {@link QueryMonitor}, a
 * timer of statements ({@code pgdbm.queries}, tagged {@code schema}, {@code module}, {@code source} — plain
 * or dsl — and {@code outcome} — success or failure). A pool with read replicas adds {@code pgdbm.replicas}
 * (tagged {@code state}: serving, lagging, unreachable, unchecked) and the counter {@code
 * pgdbm.replica.fallbacks} (reads that went to the primary). Micrometer is an optional dependency of pgdbm-core:
 * add {@code io.micrometer:micrometer-core} to use this class.
 *
 * <pre>{@code
 * new PgdbmMetrics(pool, monitor).bindTo(registry);
 * }</pre>
 */
public final class PgdbmMetrics implements MeterBinder {
    private final SharedPool pool;
    private final QueryMonitor monitor;

    /** Pool gauges only. */
    public PgdbmMetrics(SharedPool pool) {
        this(pool, null);
    }

    /** Pool gauges, and a timer of the statements {@code monitor} sees (null: none). */
    public PgdbmMetrics(SharedPool pool, @Nullable QueryMonitor monitor) {
        this.pool = pool;
        this.monitor = monitor;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (monitor != null) {
            java.util.concurrent.ConcurrentHashMap<String, Timer> timers =
                    new java.util.concurrent.ConcurrentHashMap<>();
            monitor.addListener(event -> {
                String schema = event.schema().orElse("none");
                String module = event.module().orElse("none");
                String source = event.source().name().toLowerCase(java.util.Locale.ROOT);
                String outcome = event.success() ? "success" : "failure";
                timers.computeIfAbsent(
                                schema + '|' + module + '|' + source + '|' + outcome,
                                key -> Timer.builder("pgdbm.queries")
                                        .description("Statements run by pgdbm managers")
                                        .tags("schema", schema, "module", module, "source", source, "outcome", outcome)
                                        .register(registry))
                        .record(event.duration());
            });
        }
        gauge(registry, "active", PoolStats::active);
        gauge(registry, "idle", PoolStats::idle);
        gauge(registry, "total", PoolStats::total);
        gauge(registry, "waiting", PoolStats::waiting);
        gauge(registry, "max", PoolStats::max);
        gauge(registry, "min", PoolStats::min);
        if (!pool.config().replicas().isEmpty()) {
            for (io.pgdbm.ReplicaStatus.State state : io.pgdbm.ReplicaStatus.State.values()) {
                Gauge.builder(
                                "pgdbm.replicas",
                                pool,
                                p -> p.replicaStatus().stream()
                                        .filter(replica -> replica.state() == state)
                                        .count())
                        .description("Read replicas of the pool, by state (serving, lagging, unreachable, unchecked)")
                        .tags(Tags.of("pool", pool.name(), "state", state.name().toLowerCase(java.util.Locale.ROOT)))
                        .register(registry);
            }
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "pgdbm.replica.fallbacks", pool, SharedPool::replicaFallbacks)
                    .description("Reads through replica() that went to the primary because no replica could serve them")
                    .tags(Tags.of("pool", pool.name()))
                    .register(registry);
        }
    }

    private void gauge(MeterRegistry registry, String state, ToDoubleFunction<PoolStats> value) {
        Gauge.builder("pgdbm.pool.connections", pool, p -> value.applyAsDouble(p.stats()))
                .description("Connections of the pgdbm shared pool, by state")
                .tags(Tags.of("pool", pool.name(), "state", state))
                .register(registry);
    }
}
