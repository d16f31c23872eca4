package io.pgdbm.internal;

import io.pgdbm.monitoring.QueryEvent;
import io.pgdbm.monitoring.QueryMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a finished statement to the manager's monitor and, at DEBUG on logger {@code io.pgdbm.sql}, logs
 * it with its arguments masked. Callers check {@link #active()} first, so an unmonitored manager with DEBUG
 * off pays a null check and a level check.
 */
final class QueryObserver {
    public static final Logger SQL_LOG = LoggerFactory.getLogger("io.pgdbm.sql");

    private final ManagerContext context;

    QueryObserver(ManagerContext context) {
        this.context = context;
    }

    boolean active() {
        return context.monitor() != null || SQL_LOG.isDebugEnabled();
    }

    /** Whether arguments will be shown: DEBUG logging is on, or the monitor records them. */
    boolean wantsArguments() {
        QueryMonitor monitor = context.monitor();
        return SQL_LOG.isDebugEnabled() || (monitor != null && monitor.recordsParameters());
    }

    void finished(
            QueryEvent.Source source, String shape, String sql, Object[] args, long startNanos, Throwable failure) {
        long nanos = System.nanoTime() - startNanos;
        String password = Masking.secret(context.config());
        QueryMonitor monitor = context.monitor();
        if (SQL_LOG.isDebugEnabled()) {
            SQL_LOG.debug(
                    "[{}] {} ms{}: {} {}",
                    context.schema() == null ? "-" : context.schema(),
                    String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6),
                    failure == null ? "" : " FAILED",
                    Masking.scrub(Masking.truncateSql(sql), password),
                    Masking.describeArguments(args, password));
        }
        if (monitor != null) {
            List<String> parameters =
                    monitor.recordsParameters() ? Masking.describeArguments(args, password) : List.of();
            monitor.record(new QueryEvent(
                    Instant.now(),
                    Optional.ofNullable(context.schema()),
                    Optional.ofNullable(context.module()),
                    source,
                    Masking.scrub(Masking.maskPasswordLiterals(shape), password),
                    Masking.scrub(Masking.truncateSql(sql), password),
                    Duration.ofNanos(nanos),
                    failure == null,
                    Optional.ofNullable(sqlState(failure)),
                    parameters));
        }
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.pgdbm.QueryException query && query.sqlState().isPresent()) {
                return query.sqlState().get();
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** Whitespace collapsed: the shape statements are grouped by. Single-line SQL (jOOQ's) is returned as is. */
    static String shape(String sql) {
        boolean plain = !sql.isEmpty()
                && !Character.isWhitespace(sql.charAt(0))
                && !Character.isWhitespace(sql.charAt(sql.length() - 1));
        for (int i = 1; plain && i < sql.length(); i++) {
            char c = sql.charAt(i);
            plain = c == ' ' ? sql.charAt(i - 1) != ' ' : !Character.isWhitespace(c);
        }
        return plain ? sql : WHITESPACE.matcher(sql.strip()).replaceAll(" ");
    }

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
}
