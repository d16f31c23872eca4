package com.example.shop;

// tag::app[]
import static com.example.shop.cart.db.Tables.LINES;
import static com.example.shop.catalog.db.Tables.ITEMS;

import io.pgdbm.DatabaseManager;
import java.math.BigDecimal;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@SpringBootApplication
public class ShopApplication {
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    /** Two modules, each with its manager (schemas catalog and cart), migrated before this bean is made. */
    @Service
    public static class Shop {
        private final DatabaseManager catalog;
        private final DatabaseManager cart;

        public Shop(@Qualifier("catalog") DatabaseManager catalog, @Qualifier("cart") DatabaseManager cart) {
            this.catalog = catalog;
            this.cart = cart;
        }

        /** A new item and a cart line for it: both or neither, in one Spring transaction. */
        @Transactional
        public long order(String name, BigDecimal price, int quantity) {
            long item = catalog.dsl()
                    .insertInto(ITEMS, ITEMS.NAME, ITEMS.PRICE)
                    .values(name, price)
                    .returning(ITEMS.ID)
                    .fetchOne(ITEMS.ID);
            cart.dsl()
                    .insertInto(LINES, LINES.ITEM_ID, LINES.QUANTITY)
                    .values(item, quantity)
                    .execute();
            return item;
        }

        public int items() {
            return catalog.dsl().fetchCount(ITEMS);
        }

        public int lines() {
            return cart.dsl().fetchCount(LINES);
        }
    }
}
// end::app[]
