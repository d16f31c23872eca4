package io.pgdbm.internal;

import io.pgdbm.PreparedQuery;
import io.pgdbm.monitoring.QueryEvent;
import java.util.List;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.Result;

/**
 * A statement processed once and bound to the operations (manager or transaction) that prepared it: plain SQL
 * ({@code prepare(String)}) or a jOOQ query rendered once ({@code prepare(Query)}), whose arguments pass
 * through its fields' converters.
 */
final class PreparedQueryImpl implements PreparedQuery {
    private final Operations operations;
    private final StatementCache.Entry entry;
    private final QueryEvent.Source source;
    /** The jOOQ query's rendering; null for plain SQL. */
    private final RenderedQuery rendered;

    PreparedQueryImpl(Operations operations, StatementCache.Entry entry) {
        this.operations = operations;
        this.entry = entry;
        this.source = QueryEvent.Source.PLAIN;
        this.rendered = null;
    }

    PreparedQueryImpl(Operations operations, RenderedQuery rendered) {
        this.operations = operations;
        this.entry = rendered.entry;
        this.source = QueryEvent.Source.DSL;
        this.rendered = rendered;
    }

    private Object[] arguments(Object[] args) {
        return rendered == null ? args : rendered.arguments(args);
    }

    @Override
    public String sql() {
        return entry.parsed().jdbcSql();
    }

    @Override
    public int execute(Object... args) {
        return operations.execute(source, entry, arguments(args));
    }

    @Override
    public Optional<Record> fetchOne(Object... args) {
        return operations.fetchOne(source, entry, arguments(args));
    }

    @Override
    public <T> Optional<T> fetchOne(Class<T> type, Object... args) {
        return operations.mapped(
                entry, () -> operations.fetchOne(source, entry, arguments(args)).map(row -> row.into(type)));
    }

    @Override
    public Result<Record> fetchAll(Object... args) {
        return operations.fetchAll(source, entry, arguments(args));
    }

    @Override
    public <T> List<T> fetchAll(Class<T> type, Object... args) {
        return operations.mapped(
                entry, () -> operations.fetchAll(source, entry, arguments(args)).into(type));
    }

    @Override
    public <T> T fetchValue(Class<T> type, Object... args) {
        return operations.fetchValue(type, source, entry, arguments(args));
    }

    @Override
    public String toString() {
        return "PreparedQuery[" + entry.renderedSql() + "]";
    }
}
