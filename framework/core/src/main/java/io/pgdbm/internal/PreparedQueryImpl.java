package io.pgdbm.internal;

import io.pgdbm.PreparedQuery;
import java.util.List;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.Result;

/** A statement processed once and bound to the operations (manager or transaction) that prepared it. */
final class PreparedQueryImpl implements PreparedQuery {
    private final Operations operations;
    private final StatementCache.Entry entry;

    PreparedQueryImpl(Operations operations, StatementCache.Entry entry) {
        this.operations = operations;
        this.entry = entry;
    }

    @Override
    public String sql() {
        return entry.parsed().jdbcSql();
    }

    @Override
    public int execute(Object... args) {
        return operations.execute(entry, args);
    }

    @Override
    public Optional<Record> fetchOne(Object... args) {
        return operations.fetchOne(entry, args);
    }

    @Override
    public <T> Optional<T> fetchOne(Class<T> type, Object... args) {
        return operations.mapped(entry, () -> operations.fetchOne(entry, args).map(row -> row.into(type)));
    }

    @Override
    public Result<Record> fetchAll(Object... args) {
        return operations.fetchAll(entry, args);
    }

    @Override
    public <T> List<T> fetchAll(Class<T> type, Object... args) {
        return operations.mapped(entry, () -> operations.fetchAll(entry, args).into(type));
    }

    @Override
    public <T> T fetchValue(Class<T> type, Object... args) {
        return operations.fetchValue(type, entry, args);
    }

    @Override
    public String toString() {
        return "PreparedQuery[" + entry.renderedSql() + "]";
    }
}
