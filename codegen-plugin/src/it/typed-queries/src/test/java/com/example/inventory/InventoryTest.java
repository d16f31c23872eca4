package com.example.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.inventory.db.enums.StockState;
import com.example.inventory.db.tables.pojos.Products;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryTest {
    @Test
    void theSameGeneratedClassesServeThreeSchemas() {
        try (TestDatabase database = TestDatabaseFactory.shared().create()) {
            SharedPool pool = database.pool();
            // tag::three-schemas[]
            for (String schema : List.of("store_north", "store_south", "store_east")) {
                Inventory inventory = new Inventory(pool.manager(schema));
                inventory.add(schema + "-lamp", new BigDecimal("12.50"), "{\"color\": \"red\"}");
                inventory.add(schema + "-desk", new BigDecimal("99.00"), "{}");
                inventory.discontinue(schema + "-desk");
            }
            // end::three-schemas[]
            for (String schema : List.of("store_north", "store_south", "store_east")) {
                List<Products> inStock = new Inventory(pool.manager(schema)).inState(StockState.in_stock);
                assertThat(inStock).extracting(Products::sku).containsExactly(schema + "-lamp");
                Products lamp = inStock.get(0);
                assertThat(lamp.price()).isEqualByComparingTo("12.50");
                assertThat(lamp.details().data()).contains("red");
                assertThat(lamp.addedAt()).isInstanceOf(Instant.class).isBefore(Instant.now().plusSeconds(1));
                assertThat(pool.manager(schema).fetchValue(Long.class, "SELECT count(*) FROM {{tables.products}}"))
                        .isEqualTo(2L);
            }
        }
    }
}
