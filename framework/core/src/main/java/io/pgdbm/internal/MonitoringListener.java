package io.pgdbm.internal;

import io.pgdbm.monitoring.QueryEvent;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Query;

/**
 * The {@code dsl()} side of {@link QueryObserver}: per execution, the start time is kept in the execute
 * context's data, and the end (or failure) is reported once. Replaces jOOQ's own DEBUG logger, which would
 * print argument values unmasked.
 */
final class MonitoringListener implements ExecuteListener {
    private static final long serialVersionUID = 1L;
    private static final String START = "pgdbm.start";
    private static final String REPORTED = "pgdbm.reported";
    private static final Object[] NO_ARGS = {};

    private final transient QueryObserver observer;

    MonitoringListener(QueryObserver observer) {
        this.observer = observer;
    }

    @Override
    public void start(ExecuteContext ctx) {
        // Plain-SQL verbs read their result sets through jOOQ too (no query, no routine): already observed.
        boolean statement = ctx.query() != null || ctx.routine() != null || ctx.batchQueries().length > 0;
        if (statement && observer.active()) {
            ctx.data(START, System.nanoTime());
        }
    }

    @Override
    public void exception(ExecuteContext ctx) {
        report(ctx, ctx.exception() != null ? ctx.exception() : ctx.sqlException());
    }

    @Override
    public void end(ExecuteContext ctx) {
        report(ctx, ctx.exception());
    }

    private void report(ExecuteContext ctx, Throwable failure) {
        Object start = ctx.data(START);
        if (!(start instanceof Long startNanos) || ctx.data(REPORTED) != null) {
            return;
        }
        ctx.data(REPORTED, Boolean.TRUE);
        String sql = ctx.sql() != null ? ctx.sql() : String.valueOf(ctx.query());
        Query query = ctx.query();
        // Extracting bind values walks the query again: only when they will be shown.
        Object[] args = query == null || !observer.wantsArguments()
                ? NO_ARGS
                : query.getBindValues().toArray();
        observer.finished(QueryEvent.Source.DSL, QueryObserver.shape(sql), sql, args, startNanos, failure);
    }
}
