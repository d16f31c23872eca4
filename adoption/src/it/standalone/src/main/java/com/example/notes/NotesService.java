package com.example.notes;

// tag::service[]
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;

/** A service that owns its database: DATABASE_URL (or PGHOST…) says where it is. */
public final class NotesService {
    public static void main(String[] args) {
        DatabaseConfig config = DatabaseConfig.fromEnvironment().toBuilder().schema("notes").build();
        try (DatabaseManager db = DatabaseManager.connect(config)) {
            System.out.println(run(db, args.length > 0 ? args[0] : "hello") + " notes");
        }
    }

    /** Migrates, adds a note, and counts the notes. */
    static long run(DatabaseManager db, String body) {
        MigrationManager.of(db, "classpath:db/notes", "notes").applyPending();
        db.execute("INSERT INTO {{tables.notes}} (body) VALUES ($1)", body);
        return db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}");
    }
}
// end::service[]
