package io.pgdbm.monitoring;

import io.pgdbm.PoolStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Diagnostics#health()} found.
 *
 * @param status healthy, degraded (working, but something needs attention) or unhealthy (not working)
 * @param reasons why the status is not healthy, one line each
 * @param pool the pool's connections
 * @param latency the round trip of {@code SELECT 1}; empty when it failed
 * @param blocking statements waiting on locks others hold
 * @param longRunning statements running longer than the threshold
 */
public record HealthReport(
        Status status,
        List<String> reasons,
        PoolStats pool,
        Optional<Duration> latency,
        List<BlockingQuery> blocking,
        List<RunningQuery> longRunning) {

    /** Overall state. */
    public enum Status {
        HEALTHY,
        DEGRADED,
        UNHEALTHY
    }

    public HealthReport {
        reasons = List.copyOf(reasons);
        blocking = List.copyOf(blocking);
        longRunning = List.copyOf(longRunning);
    }
}
