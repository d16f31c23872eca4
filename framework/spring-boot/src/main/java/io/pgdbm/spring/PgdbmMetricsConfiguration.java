package io.pgdbm.spring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgdbm.PoolStats;
import io.pgdbm.SharedPool;
import io.pgdbm.monitoring.PgdbmMetrics;
import io.pgdbm.monitoring.QueryMonitor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** Pool gauges (and, with {@code pgdbm.monitoring.enabled}, query timers) in Micrometer when it is on the class path (Spring Boot binds {@code MeterBinder} beans). */
@AutoConfiguration(after = PgdbmAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(SharedPool.class)
public class PgdbmMetricsConfiguration {

    @Bean
    PgdbmMetrics pgdbmMetrics(SharedPool pool, ObjectProvider<QueryMonitor> monitor) {
        return new PgdbmMetrics(pool, monitor.getIfAvailable());
    }

    /**
     * The same {@code pgdbm.pool.connections} gauges for each module with a database of its own ({@code
     * pgdbm.modules.<name>.url}), tagged {@code pool=pgdbm-module-<name>}; NaN until the module's pool is open.
     */
    @Bean
    MeterBinder pgdbmOwnDatabaseMetrics(PgdbmModules modules, PgdbmProperties properties) {
        return registry -> properties.getModules().forEach((name, module) -> {
            if (!module.isEnabled() || !module.ownDatabase()) {
                return;
            }
            Map<String, ToDoubleFunction<PoolStats>> states = new LinkedHashMap<>();
            states.put("active", PoolStats::active);
            states.put("idle", PoolStats::idle);
            states.put("total", PoolStats::total);
            states.put("waiting", PoolStats::waiting);
            states.put("max", PoolStats::max);
            states.put("min", PoolStats::min);
            states.forEach((state, value) -> Gauge.builder("pgdbm.pool.connections", modules, m -> {
                        SharedPool own = m.ownPools().get(name);
                        return own == null ? Double.NaN : value.applyAsDouble(own.stats());
                    })
                    .description("Connections of the pgdbm shared pool, by state")
                    .tags(Tags.of("pool", "pgdbm-module-" + name, "state", state))
                    .register(registry));
        });
    }
}
