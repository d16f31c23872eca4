package io.pgdbm.testing;

import io.pgdbm.DatabaseOperations;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's rows at one moment, to check later that an operation left it alone.
 *
 * <pre>{@code
 * TableSnapshot before = TableSnapshot.of(db, "accounts");
 * assertThatThrownBy(() -> service.transfer(a, b, tooMuch)).isInstanceOf(...);
 * before.assertUnchanged();
 * }</pre>
 */
public final class TableSnapshot {
    private final DatabaseOperations db;
    private final String table;
    private final List<String> rows;

    private TableSnapshot(DatabaseOperations db, String table, List<String> rows) {
        this.db = db;
        this.table = table;
        this.rows = rows;
    }

    /** Takes a snapshot of {@code table} ({@code "users"} or {@code "schema.users"}). */
    public static TableSnapshot of(DatabaseOperations db, String table) {
        return new TableSnapshot(db, table, rows(db, table));
    }

    private static List<String> rows(DatabaseOperations db, String table) {
        return db.fetchAll("SELECT t::text AS row FROM " + Tables.qualified(db, table) + " t ORDER BY 1")
                .getValues("row", String.class);
    }

    /** The rows as PostgreSQL prints them ({@code (1,ada,…)}), sorted. */
    public List<String> rows() {
        return rows;
    }

    /**
     * Fails with the rows that appeared and disappeared, if the table changed since the snapshot.
     *
     * @throws AssertionError describing the difference
     */
    public void assertUnchanged() {
        List<String> now = rows(db, table);
        if (now.equals(rows)) {
            return;
        }
        List<String> added = new ArrayList<>(now);
        rows.forEach(added::remove);
        List<String> removed = new ArrayList<>(rows);
        now.forEach(removed::remove);
        throw new AssertionError("table " + table + " changed: " + added.size() + " row(s) added " + added + ", "
                + removed.size() + " row(s) removed " + removed);
    }
}
