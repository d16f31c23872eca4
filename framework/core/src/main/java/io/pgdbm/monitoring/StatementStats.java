package io.pgdbm.monitoring;

import java.time.Duration;

/**
 * Aggregates for one statement shape. Percentiles are over the most recent executions (up to 1024 kept per
 * shape).
 */
public record StatementStats(
        String shape,
        long count,
        long failures,
        Duration total,
        Duration mean,
        Duration max,
        Duration p50,
        Duration p95,
        Duration p99) {}
