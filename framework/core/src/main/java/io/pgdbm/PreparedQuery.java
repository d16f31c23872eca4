package io.pgdbm;

import java.util.List;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.Result;

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

    int execute(Object... args);

    Optional<Record> fetchOne(Object... args);

    <T> Optional<T> fetchOne(Class<T> type, Object... args);

    Result<Record> fetchAll(Object... args);

    <T> List<T> fetchAll(Class<T> type, Object... args);

    <T> T fetchValue(Class<T> type, Object... args);
}
