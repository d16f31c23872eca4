package io.pgdbm.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One statement a monitored manager ran.
 *
 * @param at when it finished
 * @param schema the manager's schema, or empty
 * @param module the module (from {@code forModule}), or empty
 * @param source whether it came from a plain-SQL verb or from {@code dsl()}
 * @param shape the statement without its values: the template as written for plain SQL, jOOQ's SQL with
 *     {@code ?} for typed queries; what {@link QueryMonitor#statements()} groups by
 * @param sql the SQL as sent, truncated when long
 * @param duration how long it took, including fetching the rows
 * @param success whether it succeeded
 * @param sqlState the server's SQLState when it failed
 * @param parameters the arguments, masked and shortened; empty unless the monitor records them
 */
public record QueryEvent(
        Instant at,
        Optional<String> schema,
        Optional<String> module,
        Source source,
        String shape,
        String sql,
        Duration duration,
        boolean success,
        Optional<String> sqlState,
        List<String> parameters) {

    /** Where a statement came from. */
    public enum Source {
        /** {@code execute}, {@code fetchOne}, … with plain SQL. */
        PLAIN,
        /** {@code dsl()}: jOOQ. */
        DSL
    }

    public QueryEvent {
        parameters = List.copyOf(parameters);
    }
}
