package io.pgdbm.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgdbm.SharedPool;
import io.pgdbm.monitoring.PgdbmMetrics;
import io.pgdbm.monitoring.QueryMonitor;
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
}
