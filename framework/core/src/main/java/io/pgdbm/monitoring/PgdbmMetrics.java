package io.pgdbm.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgdbm.PoolStats;
import io.pgdbm.SharedPool;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer gauges of a {@link SharedPool}: {@code pgdbm.pool.connections} tagged {@code state} (active,
 * idle, total, waiting, max, min) and {@code pool}. Micrometer is an optional dependency of pgdbm-core: add
 * {@code io.micrometer:micrometer-core} to use this class.
 *
 * <pre>{@code
 * new PgdbmMetrics(pool).bindTo(registry);
 * }</pre>
 */
public final class PgdbmMetrics implements MeterBinder {
    private final SharedPool pool;

    public PgdbmMetrics(SharedPool pool) {
        this.pool = pool;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "active", PoolStats::active);
        gauge(registry, "idle", PoolStats::idle);
        gauge(registry, "total", PoolStats::total);
        gauge(registry, "waiting", PoolStats::waiting);
        gauge(registry, "max", PoolStats::max);
        gauge(registry, "min", PoolStats::min);
    }

    private void gauge(MeterRegistry registry, String state, ToDoubleFunction<PoolStats> value) {
        Gauge.builder("pgdbm.pool.connections", pool, p -> value.applyAsDouble(p.stats()))
                .description("Connections of the pgdbm shared pool, by state")
                .tags(Tags.of("pool", pool.name(), "state", state))
                .register(registry);
    }
}
