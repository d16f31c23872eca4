package io.pgdbm.internal;

import io.pgdbm.DatabaseOperations;
import io.pgdbm.PgdbmException;
import io.pgdbm.PreparedQuery;
import io.pgdbm.PreparedSelect;
import io.pgdbm.QueryException;
import io.pgdbm.monitoring.QueryEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Select;
import org.postgresql.copy.CopyIn;

/**
 * The verbs, implemented once for managers (a pooled connection per call) and transactions (one
 * connection throughout). Subclasses decide only where the connection comes from and how {@code
 * transaction} nests.
 */
abstract class Operations implements DatabaseOperations {
    /** Rows per JDBC batch in {@code executeMany}: bounds memory, keeps round trips few. */
    private static final int BATCH_SIZE = 1_000;
    /** Bytes of COPY data sent per write. */
    private static final int COPY_CHUNK = 64 * 1024;

    protected final ManagerContext context;

    protected Operations(ManagerContext context) {
        this.context = context;
    }

    /** Work on a connection; may throw SQLException. */
    @FunctionalInterface
    protected interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Work on a prepared statement whose arguments are bound. */
    @FunctionalInterface
    interface StatementWork<T> {
        T run(Connection connection, PreparedStatement statement) throws SQLException;
    }

    /** Runs {@code work} on this object's connection, borrowing and returning one if needed. */
    protected abstract <T> T onConnection(ConnectionWork<T> work) throws SQLException;

    final <T> T run(QueryEvent.Source source, StatementCache.Entry entry, Object[] args, StatementWork<T> work) {
        Object[] arguments = args == null ? new Object[] {null} : args;
        entry.parsed().checkArgumentCount(arguments.length);
        if (!context.observer().active()) {
            return runUnobserved(entry, arguments, work); // no monitor, no DEBUG log: nothing to time
        }
        return observed(
                source, entry.shape(), entry.renderedSql(), arguments, () -> runUnobserved(entry, arguments, work));
    }

    private <T> T runUnobserved(StatementCache.Entry entry, Object[] arguments, StatementWork<T> work) {
        checkStatement(entry);
        try {
            return onConnection(connection -> {
                try (PreparedStatement statement =
                        SessionGuard.prepare(connection, entry.parsed().jdbcSql(), entry.effects())) {
                    ArgumentBinder.bind(connection, statement, entry.parsed(), arguments);
                    return work.run(connection, statement);
                }
            });
        } catch (SQLException e) {
            throw Errors.statementFailed(e, entry.renderedSql(), arguments, context.config());
        }
    }

    /**
     * Refuses a statement this object must not run, before it is sent. Managers run anything; a transaction
     * refuses statements that would end it behind its back.
     */
    protected void checkStatement(StatementCache.Entry entry) {}

    final StatementCache.Entry statement(String sql) {
        if (sql == null) {
            throw new QueryException("sql must not be null");
        }
        return context.statements().get(sql);
    }

    final int execute(QueryEvent.Source source, StatementCache.Entry entry, Object[] args) {
        return run(source, entry, args, (connection, statement) -> {
            statement.execute();
            return Math.max(statement.getUpdateCount(), 0);
        });
    }

    final Optional<Record> fetchOne(QueryEvent.Source source, StatementCache.Entry entry, Object[] args) {
        return run(source, entry, args, (connection, statement) -> {
            try (ResultSet rs = statement.executeQuery()) {
                return RecordReader.readFirst(context.dsl(), connection, rs, entry.columns());
            }
        });
    }

    final Result<Record> fetchAll(QueryEvent.Source source, StatementCache.Entry entry, Object[] args) {
        return run(source, entry, args, (connection, statement) -> {
            try (ResultSet rs = statement.executeQuery()) {
                return RecordReader.readAll(context.dsl(), connection, rs, entry.columns());
            }
        });
    }

    final <T> T fetchValue(Class<T> type, QueryEvent.Source source, StatementCache.Entry entry, Object[] args) {
        if (type == null) {
            throw new QueryException("type must not be null");
        }
        Optional<Record> row = fetchOne(source, entry, args);
        if (row.isEmpty()) {
            return null;
        }
        Record record = row.get();
        try {
            return StrictValues.convert(record.get(0), type);
        } catch (StrictValues.Mismatch e) {
            org.jooq.Field<?> column = record.field(0);
            throw withSql(
                    "fetchValue(" + type.getSimpleName() + ".class, …): column " + column.getName() + " ("
                            + column.getDataType().getTypeName() + "): " + e.getMessage(),
                    entry.renderedSql(),
                    null);
        }
    }

    /**
     * Maps rows into {@code type} ({@link RowMappers}), naming the statement when a row does not fit: a
     * component without a column, or a value its type cannot hold.
     */
    final <T> T mapped(StatementCache.Entry entry, java.util.function.Supplier<T> mapping) {
        return mapped(entry.renderedSql(), mapping);
    }

    static <T> T mapped(String sql, java.util.function.Supplier<T> mapping) {
        try {
            return mapping.get();
        } catch (QueryException e) {
            if (e.sql().isPresent()) {
                throw e;
            }
            throw withSql(e.getMessage(), sql, null);
        } catch (org.jooq.exception.MappingException e) {
            QueryException cause = cause(e, QueryException.class);
            throw withSql(
                    cause != null ? "A row could not be mapped: " + cause.getMessage() : e.getMessage(),
                    sql,
                    cause != null ? null : e);
        }
    }

    private static <E extends Throwable> E cause(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public int execute(String sql, Object... args) {
        return execute(QueryEvent.Source.PLAIN, statement(sql), args);
    }

    private static final Object[] NO_ARGUMENTS = new Object[0];

    /** A failure reading what a statement returned: the message, then the statement (shortened). */
    private static QueryException withSql(String message, String sql, Throwable cause) {
        String shownSql = Masking.truncateSql(sql);
        return new QueryException(message + "\n  SQL: " + shownSql, null, shownSql, List.of(), cause);
    }

    /** Times {@code work} and reports it to the monitor and the DEBUG log, when either listens. */
    private <T> T observed(
            QueryEvent.Source source, String shape, String sql, Object[] args, java.util.function.Supplier<T> work) {
        QueryObserver observer = context.observer();
        if (!observer.active()) {
            return work.get();
        }
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            return work.get();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            observer.finished(source, shape, sql, args, start, failure);
        }
    }

    @Override
    public long executeMany(String sql, Iterable<? extends List<?>> argumentLists) {
        StatementCache.Entry entry = statement(sql);
        return observed(
                QueryEvent.Source.PLAIN,
                entry.shape(),
                entry.renderedSql(),
                NO_ARGUMENTS,
                () -> executeBatch(entry, argumentLists));
    }

    private long executeBatch(StatementCache.Entry entry, Iterable<? extends List<?>> argumentLists) {
        ParsedSql parsed = entry.parsed();
        checkStatement(entry);
        // the argument lists of the batch in flight: the server may echo any of their values when it fails
        List<Object[]> inFlight = new java.util.ArrayList<>();
        int[] firstRow = {1};
        try {
            return onConnection(connection -> {
                long changed = 0;
                int row = 0;
                try (PreparedStatement statement =
                        SessionGuard.prepare(connection, parsed.jdbcSql(), entry.effects())) {
                    for (List<?> arguments : argumentLists) {
                        row++;
                        Object[] values = arguments == null ? new Object[0] : arguments.toArray();
                        try {
                            parsed.checkArgumentCount(values.length);
                        } catch (QueryException e) {
                            throw new QueryException(
                                    "argument list " + row + ": " + e.getMessage(),
                                    null,
                                    e.sql().orElse(null),
                                    List.of(),
                                    null);
                        }
                        inFlight.add(values);
                        ArgumentBinder.bind(connection, statement, parsed, values);
                        statement.addBatch();
                        if (inFlight.size() == BATCH_SIZE) {
                            changed += sum(statement.executeBatch());
                            inFlight.clear();
                            firstRow[0] = row + 1;
                        }
                    }
                    if (!inFlight.isEmpty()) {
                        changed += sum(statement.executeBatch());
                    }
                }
                return changed;
            });
        } catch (SQLException e) {
            throw batchFailed(e, entry, inFlight, firstRow[0]);
        }
    }

    /**
     * A failed batch: the server's own error (pgJDBC's batch message inlines the arguments), scrubbed of every
     * value the batch sent, with the failing argument list's number and (masked) values when pgJDBC says which.
     */
    private PgdbmException batchFailed(
            SQLException e, StatementCache.Entry entry, List<Object[]> inFlight, int firstRow) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        Object[] sent = inFlight.stream().flatMap(java.util.Arrays::stream).toArray();
        java.util.regex.Matcher failedEntry =
                java.util.regex.Pattern.compile("Batch entry (\\d+)").matcher(String.valueOf(e.getMessage()));
        Object[] shown = new Object[0];
        String where = "";
        if (failedEntry.find()) {
            int index = Integer.parseInt(failedEntry.group(1));
            if (index < inFlight.size()) {
                shown = inFlight.get(index);
                where = "argument list " + (firstRow + index) + ": ";
            }
        }
        PgdbmException failure = Errors.statementFailed(cause, entry.renderedSql(), shown, sent, context.config());
        if (where.isEmpty() || !(failure instanceof QueryException query)) {
            return failure;
        }
        return new QueryException(
                where + query.getMessage(),
                query.sqlState().orElse(null),
                query.sql().orElse(null),
                query.parameters(),
                query.getCause());
    }

    private static long sum(int[] counts) {
        long total = 0;
        for (int count : counts) {
            total += Math.max(count, 0);
        }
        return total;
    }

    @Override
    public Optional<Record> fetchOne(String sql, Object... args) {
        return fetchOne(QueryEvent.Source.PLAIN, statement(sql), args);
    }

    @Override
    public <T> Optional<T> fetchOne(Class<T> type, String sql, Object... args) {
        StatementCache.Entry entry = statement(sql);
        return mapped(
                entry, () -> fetchOne(QueryEvent.Source.PLAIN, entry, args).map(row -> row.into(type)));
    }

    @Override
    public Result<Record> fetchAll(String sql, Object... args) {
        return fetchAll(QueryEvent.Source.PLAIN, statement(sql), args);
    }

    @Override
    public <T> List<T> fetchAll(Class<T> type, String sql, Object... args) {
        StatementCache.Entry entry = statement(sql);
        return mapped(
                entry, () -> fetchAll(QueryEvent.Source.PLAIN, entry, args).into(type));
    }

    @Override
    public <T> T fetchValue(Class<T> type, String sql, Object... args) {
        return fetchValue(type, QueryEvent.Source.PLAIN, statement(sql), args);
    }

    @Override
    public long copyRecords(String table, List<String> columns, Iterable<? extends List<?>> rows) {
        if (columns == null || columns.isEmpty()) {
            throw new QueryException("copyRecords needs at least one column name");
        }
        StringBuilder sql = new StringBuilder("COPY ")
                .append(SqlTemplate.qualify(table, context.schema()))
                .append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append(Identifiers.quote(Identifiers.require("column name", columns.get(i))));
        }
        String copySql = sql.append(") FROM STDIN").toString();
        // the Secrets among the rows sent: the server may echo any value (a duplicate key, a bad date)
        List<Object> secrets = new java.util.ArrayList<>();
        return observed(QueryEvent.Source.PLAIN, copySql, copySql, NO_ARGUMENTS, () -> {
            try {
                return onConnection(connection -> copy(connection, copySql, columns, rows, secrets));
            } catch (SQLException e) {
                throw Errors.statementFailed(e, copySql, new Object[0], secrets.toArray(), context.config());
            }
        });
    }

    // getTimestampUtils() is deprecated as internal to pgJDBC; COPY uses it on purpose, to write dates exactly
    // as setObject binds them (CopyRoundTripPropertyTest pins that against execute).
    @SuppressWarnings("deprecation")
    private static long copy(
            Connection connection,
            String copySql,
            List<String> columns,
            Iterable<? extends List<?>> rows,
            List<Object> secrets)
            throws SQLException {
        org.postgresql.core.BaseConnection pg = SessionGuard.pgConnection(connection);
        CopyEncoder encoder = new CopyEncoder(pg.getTimestampUtils(), secrets);
        CopyIn copy = pg.getCopyAPI().copyIn(copySql);
        StringBuilder buffer = new StringBuilder(COPY_CHUNK + 1024);
        int rowNumber = 0;
        try {
            for (List<?> row : rows) {
                encoder.appendRow(buffer, row, ++rowNumber, columns);
                if (buffer.length() >= COPY_CHUNK) {
                    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    buffer.setLength(0);
                }
            }
            if (!buffer.isEmpty()) {
                byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
            }
            return copy.endCopy();
        } catch (IllegalArgumentException e) {
            cancelQuietly(copy);
            throw new QueryException(
                    "copyRecords: " + e.getMessage() + "; nothing was loaded", null, copySql, List.of(), e);
        } catch (SQLException | RuntimeException e) {
            cancelQuietly(copy);
            throw e;
        }
    }

    private static void cancelQuietly(CopyIn copy) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the original failure is what the caller needs to see
        }
    }

    @Override
    public PreparedQuery prepare(String sql) {
        return new PreparedQueryImpl(this, statement(sql));
    }

    @Override
    public <R extends Record> PreparedSelect<R> prepare(Select<R> query) {
        return PreparedSelectImpl.of(this, context.dsl(), query);
    }

    @Override
    public PreparedQuery prepare(Query query) {
        return new PreparedQueryImpl(this, RenderedQuery.of(this, context.dsl(), query));
    }

    @Override
    public boolean tableExists(String table) {
        String qualified = SqlTemplate.qualify(table, context.schema());
        Boolean exists = fetchValue(Boolean.class, "SELECT to_regclass($1) IS NOT NULL", qualified);
        return Boolean.TRUE.equals(exists);
    }

    @Override
    public String render(String sql) {
        return context.statements().render(sql);
    }

    @Override
    public Optional<String> schema() {
        return Optional.ofNullable(context.schema());
    }

    /** Runs plain SQL (no templates, no arguments) on this object's connection. */
    protected final void executeRaw(String sql) {
        observed(QueryEvent.Source.PLAIN, sql, sql, NO_ARGUMENTS, () -> {
            try {
                return onConnection(connection -> {
                    try (PreparedStatement statement = SessionGuard.prepare(
                            connection, sql, context.statements().effectsOf(sql))) {
                        statement.execute();
                    }
                    return null;
                });
            } catch (SQLException e) {
                throw Errors.statementFailed(e, sql, new Object[0], context.config());
            }
        });
    }
}
