package io.pgdbm.docs;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;
import java.util.List;

// tag::dual-mode[]
/** A reusable module: it owns a pool when given a URL and uses the host's manager when handed one. */
public final class Notes implements AutoCloseable {
    public record Note(long id, String author, String body) {}

    private final DatabaseManager db;

    /** Standalone: the module opens (and later closes) a pool of its own. */
    public Notes(String databaseUrl) {
        this(DatabaseManager.connect(
                DatabaseConfig.builder().url(databaseUrl).schema("notes").build()));
    }

    /** Library mode: the host application hands in a manager; the module never closes its pool. */
    public Notes(DatabaseManager db) {
        this.db = db;
        // Always run our own migrations, under our own module name, in whatever schema we were given.
        MigrationManager.of(db, "classpath:db/notes", "notes").applyPending();
    }

    public long add(String author, String body) {
        return db.fetchValue(
                Long.class, "INSERT INTO {{tables.notes}} (author, body) VALUES ($1, $2) RETURNING id", author, body);
    }

    public List<Note> byAuthor(String author) {
        return db.fetchAll(
                Note.class, "SELECT id, author, body FROM {{tables.notes}} WHERE author = $1 ORDER BY id", author);
    }

    /** Closes the pool only if this module opened it (a handed-in manager's close() does nothing). */
    @Override
    public void close() {
        db.close();
    }
}
// end::dual-mode[]
