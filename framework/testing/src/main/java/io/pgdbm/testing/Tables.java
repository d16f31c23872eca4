package io.pgdbm.testing;

import io.pgdbm.DatabaseOperations;
import io.pgdbm.internal.SqlTemplate;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Small helpers tests reach for: count rows, empty tables. Table names follow {@code {{tables.…}}}. */
public final class Tables {
    private Tables() {}

    /** The number of rows in {@code table} ({@code "users"} or {@code "schema.users"}). */
    public static long count(DatabaseOperations db, String table) {
        return db.fetchValue(Long.class, "SELECT count(*) FROM " + qualified(db, table));
    }

    /**
     * The number of rows in {@code table} that match {@code where}, a condition with {@code $1}, {@code $2}…
     * placeholders for {@code args}: {@code count(db, "users", "active AND email LIKE $1", "%@example.com")}.
     */
    public static long count(DatabaseOperations db, String table, String where, @Nullable Object... args) {
        if (where == null || where.isBlank()) {
            throw new IllegalArgumentException("the condition is empty: use count(db, table) to count every row");
        }
        return db.fetchValue(Long.class, "SELECT count(*) FROM " + qualified(db, table) + " WHERE " + where, args);
    }

    /** Empties tables, restarting their sequences and cascading to tables that reference them. */
    public static void truncate(DatabaseOperations db, String... tables) {
        if (tables.length == 0) {
            throw new IllegalArgumentException("name at least one table to truncate");
        }
        List<String> names = new ArrayList<>();
        for (String table : tables) {
            names.add(qualified(db, table));
        }
        db.execute("TRUNCATE " + String.join(", ", names) + " RESTART IDENTITY CASCADE");
    }

    static String qualified(DatabaseOperations db, String table) {
        return SqlTemplate.qualify(table, db.schema().orElse(null));
    }
}
