package io.pgdbm.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(classes = ShopApplication.class)
@PgdbmTestDatabase
class PgdbmTestDatabaseTest {
    @Autowired
    PgdbmTestDatabaseConnection database;

    @Autowired
    SharedPool pool;

    @Autowired
    @Qualifier("cart")
    DatabaseManager cart;

    @Autowired
    ShopApplication.Shop shop;

    @Test
    void theStartersPoolRunsOnTheTestDatabaseMigrated() {
        assertThat(database.databaseName()).startsWith("test_").endsWith("_spring");
        assertThat(pool.config().database()).contains(database.databaseName());
        assertThat(cart.fetchValue(String.class, "SELECT current_database()")).isEqualTo(database.databaseName());
        assertThat(cart.tableExists("lines")).isTrue();
        assertThat(cart.tableExists("cart_schema_history")).isTrue();
    }

    @Test
    void aFailedTransactionAcrossModulesLeavesNothingInEither() {
        long items = shop.items();
        long lines = shop.lines();
        assertThatThrownBy(() -> shop.addToCart("rolled-back-" + System.nanoTime(), 0))
                .hasMessageContaining("quantity");
        assertThat(shop.items())
                .as("the catalog insert rolled back with the cart's")
                .isEqualTo(items);
        assertThat(shop.lines()).isEqualTo(lines);
        shop.addToCart("kept-" + System.nanoTime(), 2);
        assertThat(shop.items()).isEqualTo(items + 1);
        assertThat(shop.lines()).isEqualTo(lines + 1);
    }
}
