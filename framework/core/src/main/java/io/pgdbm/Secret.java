package io.pgdbm;

import java.util.Objects;

/**
 * A query argument that must never be printed: it binds as its value but appears as {@code ***} in
 * exception messages, logs and query histories.
 *
 * <pre>{@code
 * db.execute("UPDATE {{tables.accounts}} SET api_key = $1 WHERE id = $2", Secret.of(apiKey), id);
 * }</pre>
 *
 * @param value the value to bind; never null
 */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    @Override
    public String toString() {
        return "***";
    }
}
