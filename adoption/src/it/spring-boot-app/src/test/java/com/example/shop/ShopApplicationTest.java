package com.example.shop;

// tag::test[]
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.spring.test.PgdbmTestDatabase;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Transactional;

@SpringBootTest
@PgdbmTestDatabase // an isolated database for this context, migrated at start-up, dropped at the end
class ShopApplicationTest {
    @Autowired
    ShopApplication.Shop shop;

    @Test
    @Transactional // rolled back after the test, in both schemas
    void anOrderWritesBothModules() {
        shop.order("lamp", new BigDecimal("20.00"), 2);
        assertThat(shop.items()).isEqualTo(1);
        assertThat(shop.lines()).isEqualTo(1);
    }

    @Test
    void aFailedOrderLeavesNothingInEitherSchema() {
        assertThatThrownBy(() -> shop.order("desk", new BigDecimal("90.00"), 0))
                .hasMessageContaining("quantity");
        assertThat(shop.items()).isZero();
        assertThat(shop.lines()).isZero();
    }
}
// end::test[]
