package io.pgdbm.testing;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;
import java.math.BigDecimal;

/** A tiny dual-mode module for the tests and docs of pgdbm-testing. */
public final class Accounts implements AutoCloseable {
    private final DatabaseManager db;

    public Accounts(String url) {
        this(DatabaseManager.connect(DatabaseConfig.builder()
                .url(url)
                .schema("accounts")
                .maxConnections(2)
                .build()));
    }

    public Accounts(DatabaseManager db) {
        this.db = db;
        MigrationManager.of(db, "classpath:db/accounts", "accounts").applyPending();
    }

    public void open(String owner, BigDecimal balance) {
        db.execute("INSERT INTO {{tables.accounts}} (owner, balance) VALUES ($1, $2)", owner, balance);
    }

    public BigDecimal balance(String owner) {
        return db.fetchValue(BigDecimal.class, "SELECT balance FROM {{tables.accounts}} WHERE owner = $1", owner);
    }

    /** Moves money between accounts, all or nothing. */
    public void transfer(String from, String to, BigDecimal amount) {
        db.transaction(tx -> {
            tx.execute("UPDATE {{tables.accounts}} SET balance = balance + $2 WHERE owner = $1", to, amount);
            tx.execute("UPDATE {{tables.accounts}} SET balance = balance - $2 WHERE owner = $1", from, amount);
        });
    }

    public DatabaseManager db() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
