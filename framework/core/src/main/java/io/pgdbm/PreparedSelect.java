package io.pgdbm;

import java.util.List;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.Result;
import org.jspecify.annotations.Nullable;

/**
 * A jOOQ select rendered once by {@link DatabaseOperations#prepare(org.jooq.Select)}, with the manager's
 * schema mapping applied, to run many times with new bind values. It skips jOOQ's per-call rendering, which
 * is most of what a typed point query costs on the client (see docs/performance.md), and returns the same
 * records the query would: {@code selectFrom(USERS)} gives {@code UsersRecord}s.
 *
 * <p>The arguments replace the query's bind values in the order they appear in {@link #sql()} (each is a
 * {@code ?} there); every call passes all of them. Build the query with placeholder values of the right
 * type: {@code USERS.ID.eq(0L)}, or {@code DSL.param("id", Long.class)}. A {@code limit(10)} is a bind value
 * too; write {@code limit(DSL.inline(10))} to keep it fixed. Converters of the query's fields apply to the
 * arguments and the results. Thread-safe when prepared on a manager; prepared on a transaction it runs on that
 * transaction's connection.
 *
 * <pre>{@code
 * PreparedSelect<UsersRecord> byId = users.prepare(users.dsl().selectFrom(USERS).where(USERS.ID.eq(0L)));
 * Optional<UsersRecord> ada = byId.fetchOne(42L);
 * }</pre>
 *
 * @param <R> the query's record type
 */
public interface PreparedSelect<R extends Record> {
    /** The SQL as sent to pgJDBC, with {@code ?} for each bind value. */
    String sql();

    /** How many arguments each call takes: the query's bind values. */
    int parameterCount();

    /** The first row, if any. */
    Optional<R> fetchOne(@Nullable Object... args);

    /** The first row mapped into {@code type} (a record class, a class with matching fields), if any. */
    <T> Optional<T> fetchOne(Class<T> type, @Nullable Object... args);

    /** Every row. */
    Result<R> fetchAll(@Nullable Object... args);

    /** Every row mapped into {@code type}. */
    <T> List<T> fetchAll(Class<T> type, @Nullable Object... args);
}
