package io.pgdbm.monitoring;

import java.time.Duration;

/** Totals of a {@link QueryMonitor} since it was made or {@linkplain QueryMonitor#reset() reset}. */
public record MonitorStats(long count, long failures, long slow, Duration total, Duration mean, Duration max) {}
