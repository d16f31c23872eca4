package io.pgdbm;

import java.util.List;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.Result;
import org.jspecify.annotations.Nullable;

/**
 * A statement prepared by {@link DatabaseOperations#prepare(String)}: templates expanded and placeholders
 * translated once. Runs on the manager (or transaction) that prepared it. Thread-safe when prepared on a
 * manager.
 *
 * <pre>{@code
 * PreparedQuery byEmail = users.prepare("SELECT * FROM {{tables.users}} WHERE email = $1");
 * for (String email : emails) {
 *     byEmail.fetchOne(email).ifPresent(found::add);
 * }
 * }</pre>
 */
public interface PreparedQuery {
    /** The SQL as sent to pgJDBC. */
    String sql();

    int execute(@Nullable Object... args);

    Optional<Record> fetchOne(@Nullable Object... args);

    <T> Optional<T> fetchOne(Class<T> type, @Nullable Object... args);

    Result<Record> fetchAll(@Nullable Object... args);

    <T> List<T> fetchAll(Class<T> type, @Nullable Object... args);

    <T> @Nullable T fetchValue(Class<T> type, @Nullable Object... args);
}
