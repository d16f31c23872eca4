package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.spring.test.PgdbmTestDatabase;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A pool bean of the test's own: pgdbm's work still joins Spring's transactions. */
@SpringBootTest
@PgdbmTestDatabase
class OwnPoolTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Pool {
        @Bean
        SharedPool pool(JdbcConnectionDetails database) {
            return SharedPool.create(DatabaseConfig.builder()
                    .url(database.getJdbcUrl())
                    .user(database.getUsername())
                    .password(database.getPassword())
                    .maxConnections(3)
                    .build());
        }
    }

    @Autowired
    ShopApplication.Shop shop;

    @Autowired
    SharedPool pool;

    @Test
    void aFailedOrderLeavesNothingInEitherSchema() {
        assertThat(pool.config().maxConnections()).as("the test's own pool is in use").isEqualTo(3);
        assertThatThrownBy(() -> shop.order("chair", new BigDecimal("40.00"), -1))
                .hasMessageContaining("quantity");
        assertThat(shop.items()).isZero();
        assertThat(shop.lines()).isZero();
        shop.order("chair", new BigDecimal("40.00"), 1);
        assertThat(shop.items()).isEqualTo(1);
    }
}
