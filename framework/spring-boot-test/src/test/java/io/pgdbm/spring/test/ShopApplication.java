package io.pgdbm.spring.test;

import io.pgdbm.DatabaseManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/** A two-module application: cart lines reference catalog items. */
@SpringBootApplication
@EnableTransactionManagement
class ShopApplication {

    @Bean
    Shop shop(@Qualifier("catalog") DatabaseManager catalog, @Qualifier("cart") DatabaseManager cart) {
        return new Shop(catalog, cart);
    }

    static class Shop {
        private final DatabaseManager catalog;
        private final DatabaseManager cart;

        Shop(DatabaseManager catalog, DatabaseManager cart) {
            this.catalog = catalog;
            this.cart = cart;
        }

        /** Adds an item and a cart line for it, in one Spring transaction across both modules. */
        @Transactional
        public long addToCart(String item, int quantity) {
            long id = catalog.fetchValue(
                    Long.class, "INSERT INTO {{tables.items}} (name) VALUES ($1) RETURNING id", item);
            cart.execute("INSERT INTO {{tables.lines}} (item_id, quantity) VALUES ($1, $2)", id, quantity);
            return id;
        }

        public long items() {
            return catalog.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}");
        }

        public long lines() {
            return cart.fetchValue(Long.class, "SELECT count(*) FROM {{tables.lines}}");
        }
    }
}
