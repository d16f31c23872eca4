package com.example.notes;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;

/** A dual-mode library: owns a pool when given a URL, uses the host's manager when handed one. */
public final class Notes implements AutoCloseable {
    private final DatabaseManager db;

    public Notes(String url) {
        this(DatabaseManager.connect(DatabaseConfig.builder().url(url).schema("notes").build()));
    }

    public Notes(DatabaseManager db) {
        this.db = db;
        MigrationManager.of(db, "classpath:db/notes", "notes").applyPending();
    }

    public long add(String author, String body) {
        return db.fetchValue(
                Long.class, "INSERT INTO {{tables.notes}} (author, body) VALUES ($1, $2) RETURNING id", author, body);
    }

    public long count() {
        return db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}");
    }

    @Override
    public void close() {
        db.close();
    }
}
