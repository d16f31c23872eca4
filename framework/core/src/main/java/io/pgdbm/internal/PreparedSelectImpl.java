package io.pgdbm.internal;

import io.pgdbm.PreparedSelect;
import io.pgdbm.QueryException;
import io.pgdbm.monitoring.QueryEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.TableRecord;

/**
 * A jOOQ select rendered once (with the manager's RenderMapping) and run through the plain-SQL path:
 * pgJDBC prepared statement, pgdbm's argument binding, and jOOQ reading the rows into the query's fields and
 * record type. What it saves per call is jOOQ's query rendering and execute-context machinery.
 */
final class PreparedSelectImpl<R extends Record> implements PreparedSelect<R> {
    private final Operations operations;
    private final DSLContext dsl;
    private final RenderedQuery rendered;
    private final StatementCache.Entry entry;
    private final Field<?>[] fields;
    /** The table whose records R are; null when R is a plain {@code Record} or {@code RecordN}. */
    private final Table<R> table;
    /**
     * A direct reader per column when every field has one (plain scalar types, no converters), as the plain
     * SQL path reads rows; null: jOOQ reads them.
     */
    private final RecordReader.ColumnReader[] readers;
    /** The query selects exactly its table's fields, in order: rows are read straight into table records. */
    private final boolean tableFields;

    private PreparedSelectImpl(
            Operations operations, DSLContext dsl, RenderedQuery rendered, Field<?>[] fields, Table<R> table) {
        this.operations = operations;
        this.dsl = dsl;
        this.rendered = rendered;
        this.entry = rendered.entry;
        this.fields = fields;
        this.table = table;
        this.readers = fields.length > 0 ? RecordReader.readers(fields) : null;
        this.tableFields = table != null && sameColumns(fields, table.fields());
    }

    /** Whether a query's fields are its table's columns, in the table's order (as {@code selectFrom} gives). */
    private static boolean sameColumns(Field<?>[] fields, Field<?>[] columns) {
        if (fields.length != columns.length) {
            return false;
        }
        for (int i = 0; i < fields.length; i++) {
            if (!fields[i].getName().equals(columns[i].getName())
                    || !fields[i].getDataType().equals(columns[i].getDataType())) {
                return false;
            }
        }
        return true;
    }

    /** The current row, read directly into the query's record type. */
    @SuppressWarnings("unchecked")
    private R read(ResultSet rs) throws SQLException {
        if (tableFields) {
            Object[] values = new Object[readers.length];
            for (int i = 0; i < readers.length; i++) {
                values[i] = readers[i].read(rs, i + 1);
            }
            R row = dsl.newRecord(table);
            row.fromArray(values);
            row.touched(false);
            return row;
        }
        Record row = dsl.newRecord(fields);
        for (int i = 0; i < readers.length; i++) {
            row.set((Field<Object>) fields[i], readers[i].read(rs, i + 1));
        }
        row.touched(false);
        return record(row);
    }

    static <R extends Record> PreparedSelectImpl<R> of(Operations operations, DSLContext dsl, Select<R> query) {
        RenderedQuery rendered = RenderedQuery.of(operations, dsl, query);
        return new PreparedSelectImpl<>(operations, dsl, rendered, query.fields(), tableOf(query));
    }

    /** For a query returning table records ({@code selectFrom(USERS)}), the table they belong to. */
    @SuppressWarnings("unchecked")
    private static <R extends Record> Table<R> tableOf(Select<R> query) {
        Class<? extends R> type = query.getRecordType();
        if (!TableRecord.class.isAssignableFrom(type)) {
            return null;
        }
        for (Table<?> candidate : query.$from()) {
            if (candidate.getRecordType() == type) {
                return (Table<R>) candidate;
            }
        }
        throw new QueryException(
                "prepare(Select): the query returns " + type.getSimpleName()
                        + " records but selects from no table of that type; select the fields and read them with"
                        + " fetchOne(Class, …) instead",
                null,
                null,
                List.of(),
                null);
    }

    private Object[] arguments(Object[] args) {
        return rendered.arguments(args);
    }

    /** The query's fields; for {@code SELECT *} over a table jOOQ knows no columns of, the result's own. */
    private Field<?>[] fields(Connection connection, ResultSet rs) throws SQLException {
        return fields.length > 0 ? fields : entry.columns().fields(connection, rs);
    }

    private R record(Record row) {
        @SuppressWarnings("unchecked")
        R typed = table != null ? row.into(table) : (R) row;
        return typed;
    }

    @Override
    public String sql() {
        return entry.parsed().jdbcSql();
    }

    @Override
    public int parameterCount() {
        return entry.parsed().argumentCount();
    }

    @Override
    public Optional<R> fetchOne(Object... args) {
        return operations.run(QueryEvent.Source.DSL, entry, arguments(args), (connection, statement) -> {
            if (readers != null) {
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<R>empty();
                }
            }
            try (ResultSet rs = statement.executeQuery();
                    Cursor<Record> cursor = dsl.fetchLazy(rs, fields(connection, rs))) {
                Record row = cursor.fetchNext();
                return row == null ? Optional.empty() : Optional.of(record(row));
            }
        });
    }

    @Override
    public <T> Optional<T> fetchOne(Class<T> type, Object... args) {
        return Operations.mapped(entry.renderedSql(), () -> fetchOne(args).map(row -> row.into(type)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Result<R> fetchAll(Object... args) {
        return operations.run(QueryEvent.Source.DSL, entry, arguments(args), (connection, statement) -> {
            if (readers != null) {
                try (ResultSet rs = statement.executeQuery()) {
                    Result<R> rows = table != null ? dsl.newResult(table) : (Result<R>) dsl.newResult(fields);
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                    return rows;
                }
            }
            try (ResultSet rs = statement.executeQuery();
                    Cursor<Record> cursor = dsl.fetchLazy(rs, fields(connection, rs))) {
                if (table == null) {
                    @SuppressWarnings("unchecked")
                    Result<R> rows = (Result<R>) cursor.fetch();
                    return rows;
                }
                Result<R> rows = dsl.newResult(table);
                for (Record row : cursor) {
                    rows.add(row.into(table));
                }
                return rows;
            }
        });
    }

    @Override
    public <T> List<T> fetchAll(Class<T> type, Object... args) {
        return Operations.mapped(entry.renderedSql(), () -> fetchAll(args).into(type));
    }

    @Override
    public String toString() {
        return "PreparedSelect[" + entry.renderedSql() + "]";
    }
}
