package io.pgdbm.spring;

import io.pgdbm.PoolStats;
import io.pgdbm.SharedPool;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** A {@code pgdbm} health indicator when Spring Boot's health support is on the class path. */
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

    /** UP when the pool answers a query; details: pool statistics and the modules' migration status. */
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
            Integer answer = pool.manager().fetchValue(Integer.class, "SELECT 1");
            PoolStats stats = pool.stats();
            builder.status(answer != null && answer == 1 ? "UP" : "DOWN")
                    .withDetail("pool", pool.name())
                    .withDetail(
                            "connections",
                            java.util.Map.of(
                                    "total",
                                    stats.total(),
                                    "active",
                                    stats.active(),
                                    "idle",
                                    stats.idle(),
                                    "waiting",
                                    stats.waiting(),
                                    "max",
                                    stats.max()))
                    .withDetail("modules", modules.graph().order());
        }
    }
}
