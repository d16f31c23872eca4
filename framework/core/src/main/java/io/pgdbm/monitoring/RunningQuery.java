package io.pgdbm.monitoring;

import java.time.Duration;

/**
 * A statement running in the database.
 *
 * @param pid the backend
 * @param state its state ({@code active}, {@code idle in transaction}, …)
 * @param running how long the statement has been running
 * @param query the statement (truncated)
 * @param applicationName the client's application name
 * @param user the database user
 */
public record RunningQuery(
        int pid, String state, Duration running, String query, String applicationName, String user) {}
