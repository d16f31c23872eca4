package io.pgdbm.spring;

import io.pgdbm.PoolStats;
import io.pgdbm.SharedPool;
import io.pgdbm.monitoring.Diagnostics;
import io.pgdbm.monitoring.HealthReport;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** A {@code pgdbm} health indicator (see {@link Diagnostics#health()}) when Spring Boot's health support is on the class path. */
@AutoConfiguration(after = PgdbmAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SharedPool.class)
@ConditionalOnEnabledHealthIndicator("pgdbm")
public class PgdbmHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "pgdbmHealthIndicator")
    HealthIndicator pgdbmHealthIndicator(SharedPool pool, PgdbmModules modules) {
        return new PgdbmHealthIndicator(pool, modules);
    }

    /**
     * From {@link Diagnostics#health()}: UP when healthy, UP with the reasons when degraded (blocked or
     * long-running statements, a busy pool), DOWN when PostgreSQL does not answer. Details: pool statistics,
     * reasons, and the modules in migration order.
     */
    static final class PgdbmHealthIndicator extends AbstractHealthIndicator {
        private final SharedPool pool;
        private final PgdbmModules modules;

        PgdbmHealthIndicator(SharedPool pool, PgdbmModules modules) {
            super("pgdbm health check failed");
            this.pool = pool;
            this.modules = modules;
        }

        @Override
        protected void doHealthCheck(Health.Builder builder) {
            HealthReport report = Diagnostics.of(pool.manager()).health();
            PoolStats stats = report.pool();
            boolean down = report.status() == HealthReport.Status.UNHEALTHY;
            java.util.Map<String, Object> databases = new java.util.LinkedHashMap<>();
            for (var own : modules.ownPools().entrySet()) {
                HealthReport module = Diagnostics.of(own.getValue().manager()).health();
                down |= module.status() == HealthReport.Status.UNHEALTHY;
                java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
                detail.put("status", module.status().name().toLowerCase(java.util.Locale.ROOT));
                detail.put("pool", own.getValue().name());
                detail.put("active", module.pool().active());
                detail.put("max", module.pool().max());
                if (!module.reasons().isEmpty()) {
                    detail.put("reasons", module.reasons());
                }
                databases.put(own.getKey(), detail);
            }
            if (!databases.isEmpty()) {
                builder.withDetail("ownDatabases", databases);
            }
            builder.status(down ? "DOWN" : "UP")
                    .withDetail("status", report.status().name().toLowerCase(java.util.Locale.ROOT))
                    .withDetail("pool", pool.name())
                    .withDetail(
                            "connections",
                            java.util.Map.of(
                                    "total", stats.total(),
                                    "active", stats.active(),
                                    "idle", stats.idle(),
                                    "waiting", stats.waiting(),
                                    "max", stats.max()))
                    .withDetail("modules", modules.graph().order());
            report.latency().ifPresent(latency -> builder.withDetail("latencyMillis", latency.toNanos() / 1e6));
            if (!report.reasons().isEmpty()) {
                builder.withDetail("reasons", report.reasons());
            }
        }
    }
}
