package io.pgdbm;

import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Select;
import org.jspecify.annotations.Nullable;

/**
 * The query verbs of a {@link DatabaseManager} and of a {@link Transaction}. Library code that should run
 * either inside or outside a caller's transaction can accept this type.
 *
 * <p>SQL is written schema-free: {@code {{tables.users}}} expands to the manager's schema, {@code
 * {{tables.other.t}}} names another schema, {@code {{schema}}} is the schema itself. Arguments are
 * {@code $1 … $n} (they may repeat and come in any order) or JDBC {@code ?} (one style per statement).
 * Strings bind untyped, so the server infers their type: a {@code String} fills a {@code jsonb}, {@code
 * uuid}, enum or date parameter. Also accepted: numbers, booleans, {@code byte[]}, {@code UUID}, the
 * {@code java.time} types ({@code Instant} as {@code timestamptz}), Java enums (by name), jOOQ {@code
 * JSONB}/{@code JSON}, arrays and {@code List}s (as PostgreSQL arrays), and {@link Secret}.
 *
 * <p>Rows come back as jOOQ {@link Record}s whose fields are named after the result's columns; the
 * {@code Class<T>} overloads map rows into Java records or POJOs by column name ({@code created_at}
 * fills {@code createdAt}). Values reach Java only in a type that holds them exactly: {@code 3000000000}
 * into {@code Integer}, {@code 'abc'} into {@code Integer}, SQL NULL into {@code int}, or a record component
 * without a column is a {@link QueryException} naming column, SQL type and Java type — never a wrapped,
 * truncated or defaulted value (floating-point types round to nearest, never overflow).
 *
 * <p>Errors: a failed statement throws {@link QueryException} (SQLState, SQL, masked arguments); a lost
 * connection or a busy pool throws {@link ConnectionException}; a bad name in a template throws {@link
 * IdentifierException} before anything is sent. Whatever a statement changes in its session ({@code SET},
 * {@code SET ROLE}, advisory locks, …) is undone before the connection serves anyone else.
 */
public interface DatabaseOperations {

    /** Runs a statement; returns the number of rows it changed (0 for statements that change none). */
    int execute(String sql, @Nullable Object... args);

    /**
     * Runs one statement once per argument list, as a JDBC batch (one round trip per few hundred rows).
     * Returns the total number of rows changed. Not atomic on its own: wrap it in a transaction for that.
     */
    long executeMany(String sql, Iterable<? extends List<?>> argumentLists);

    /** The first row, if any. */
    Optional<Record> fetchOne(String sql, @Nullable Object... args);

    /** The first row mapped into {@code type} (a Java record or POJO), if any. */
    <T> Optional<T> fetchOne(Class<T> type, String sql, @Nullable Object... args);

    /** All rows. */
    Result<Record> fetchAll(String sql, @Nullable Object... args);

    /** All rows mapped into {@code type}. */
    <T> List<T> fetchAll(Class<T> type, String sql, @Nullable Object... args);

    /**
     * The first column of the first row converted to {@code type}; null when there is no row or the value
     * is SQL NULL.
     */
    <T> @Nullable T fetchValue(Class<T> type, String sql, @Nullable Object... args);

    /**
     * Loads rows with {@code COPY … FROM STDIN}: the fastest way to insert many rows. {@code table} is a
     * table of this manager's schema ({@code "events"}) or a qualified one ({@code "audit.events"});
     * {@code columns} are quoted as given. Values may be anything the verbs bind; nulls, tabs, newlines,
     * backslashes and any Unicode arrive unchanged. Returns the number of rows loaded.
     */
    long copyRecords(String table, List<String> columns, Iterable<? extends List<?>> rows);

    /**
     * Runs {@code work} in a transaction: committed only when it returns normally. Anything it throws — any
     * {@link Throwable}, checked exceptions thrown sneakily by Kotlin, Groovy, Scala or Lombok included —
     * rolls the transaction back and reaches the caller unchanged, with a failed rollback attached as
     * suppressed. Work that catches a failed statement and returns normally is rolled back too, and a
     * {@link QueryException} (SQLState {@code 25P02}) says so; a failed COMMIT is a {@link QueryException}
     * saying {@code COMMIT failed}. Statements that would end the transaction ({@code COMMIT}, {@code
     * ROLLBACK}, {@code BEGIN}) are refused inside it.
     *
     * <p>Called on a {@link Transaction}, it opens a savepoint: the inner work rolls back alone and the outer
     * transaction continues. jOOQ's {@code transaction(…)} on {@code tx.dsl()} is a savepoint as well.
     *
     * <p>The work may declare a checked exception ({@code X}, inferred from the lambda): {@code transaction}
     * then declares it too, so {@code catch (IOException e)} around it compiles.
     */
    default <X extends Exception> void transaction(TransactionWork<X> work) throws X {
        transactionResult(tx -> {
            work.run(tx);
            return null;
        });
    }

    /** As {@link #transaction(TransactionWork)}, returning the work's result. */
    <T extends @Nullable Object, X extends Exception> T transactionResult(TransactionCallback<T, X> work) throws X;

    /**
     * A statement whose templates and placeholders are processed once, to run many times with different
     * arguments. pgJDBC also prepares it on the server after a few executions on a connection.
     */
    PreparedQuery prepare(String sql);

    /**
     * A jOOQ select rendered once, with this manager's schema mapping, to run many times with new bind
     * values: a hot typed query without jOOQ's rendering on every call. See {@link PreparedSelect} for how
     * arguments replace the query's bind values.
     *
     * @throws QueryException when the query selects into a table record type that is not one
     *     table's (use {@code fetchOne(Class, …)} on a plain select instead)
     */
    <R extends Record> PreparedSelect<R> prepare(Select<R> query);

    /**
     * A jOOQ insert, update or delete (with or without {@code RETURNING}) rendered once, with this manager's
     * schema mapping, to run many times with new bind values: {@link PreparedQuery#execute} for the rows
     * changed, {@link PreparedQuery#fetchOne} for what {@code RETURNING} gives back. The arguments replace the
     * query's bind values in the order they appear in {@link PreparedQuery#sql()}, as for {@link
     * #prepare(Select)}; converters of the query's fields apply to them.
     *
     * <pre>{@code
     * PreparedQuery rename = db.prepare(db.dsl().update(USERS).set(USERS.NAME, "").where(USERS.ID.eq(0L)));
     * rename.execute("Ada", 42L);
     * }</pre>
     */
    PreparedQuery prepare(Query query);

    /**
     * Whether a table or view exists: {@code "users"} in this manager's schema, or {@code
     * "other.users"}.
     */
    boolean tableExists(String table);

    /** Expands the templates of {@code sql} for this manager's schema (pgdbm's {@code prepare_query}). */
    String render(String sql);

    /** This manager's schema; empty when it has none. */
    Optional<String> schema();

    /**
     * A jOOQ {@link DSLContext} on this manager's connections (inside a transaction: on the transaction's
     * connection). Generated classes are mapped onto this manager's schema.
     */
    DSLContext dsl();
}
