package io.pgdbm.monitoring;

import java.time.Duration;

/**
 * A statement waiting for a lock, and the session holding it.
 *
 * @param blockedPid the waiting backend
 * @param blockedQuery its statement (truncated)
 * @param waiting how long it has waited
 * @param blockingPid a backend holding the lock
 * @param blockingQuery that backend's current or last statement (truncated)
 * @param blockingState that backend's state, e.g. {@code idle in transaction}
 */
public record BlockingQuery(
        int blockedPid,
        String blockedQuery,
        Duration waiting,
        int blockingPid,
        String blockingQuery,
        String blockingState) {}
