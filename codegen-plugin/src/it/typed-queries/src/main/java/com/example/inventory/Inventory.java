package com.example.inventory;

import static com.example.inventory.db.Tables.PRODUCTS;

import com.example.inventory.db.InventoryModule;
import com.example.inventory.db.enums.StockState;
import com.example.inventory.db.tables.pojos.Products;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;
import java.math.BigDecimal;
import java.util.List;
import org.jooq.JSONB;

// tag::repository[]
/** A repository written against the generated classes; works in whatever schema it is given. */
public final class Inventory {
    private final DatabaseManager db;

    public Inventory(DatabaseManager db) {
        this.db = db.forModule(InventoryModule.INSTANCE);
        MigrationManager.of(this.db, InventoryModule.INSTANCE).applyPending();
    }

    public long add(String sku, BigDecimal price, String detailsJson) {
        return db.dsl().insertInto(PRODUCTS)
                .set(PRODUCTS.SKU, sku)
                .set(PRODUCTS.PRICE, price)
                .set(PRODUCTS.DETAILS, JSONB.valueOf(detailsJson))
                .returning(PRODUCTS.ID)
                .fetchOne(PRODUCTS.ID);
    }

    public void discontinue(String sku) {
        db.dsl().update(PRODUCTS).set(PRODUCTS.STATE, StockState.discontinued).where(PRODUCTS.SKU.eq(sku)).execute();
    }

    public List<Products> inState(StockState state) {
        return db.dsl().selectFrom(PRODUCTS).where(PRODUCTS.STATE.eq(state)).orderBy(PRODUCTS.ID).fetchInto(Products.class);
    }
}
// end::repository[]
