package com.example.catalog;

// tag::catalog[]
import static com.example.catalog.db.Tables.ITEMS;

import com.example.catalog.db.CatalogModule;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;
import java.math.BigDecimal;
import java.util.List;

/** The catalog module: it owns a pool when given a URL, and uses a host's manager when handed one. */
public final class Catalog implements AutoCloseable {
    private final DatabaseManager db;

    /** Standalone: a pool of its own, in schema "catalog". */
    public Catalog(String databaseUrl) {
        this(DatabaseManager.connect(
                DatabaseConfig.builder().url(databaseUrl).schema("catalog").build()));
    }

    /** Library mode: the host's manager, in whatever schema the host chose. */
    public Catalog(DatabaseManager db) {
        // generated classes name schema "catalog"; forModule renders them into this manager's schema
        this.db = db.forModule(CatalogModule.INSTANCE);
        MigrationManager.of(this.db, CatalogModule.INSTANCE).applyPending();
    }

    public long add(String name, BigDecimal price) {
        return db.dsl()
                .insertInto(ITEMS, ITEMS.NAME, ITEMS.PRICE)
                .values(name, price)
                .returning(ITEMS.ID)
                .fetchOne(ITEMS.ID);
    }

    public List<String> namesCheaperThan(BigDecimal limit) {
        return db.dsl()
                .select(ITEMS.NAME)
                .from(ITEMS)
                .where(ITEMS.PRICE.lt(limit))
                .orderBy(ITEMS.NAME)
                .fetch(ITEMS.NAME);
    }

    /** Closes the pool only if this module opened it. */
    @Override
    public void close() {
        db.close();
    }
}
// end::catalog[]
