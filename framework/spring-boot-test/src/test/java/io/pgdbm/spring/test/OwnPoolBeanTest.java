package io.pgdbm.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** A test configuration's own pool bean: pgdbm's work still joins Spring's transactions. */
@SpringBootTest(classes = {ShopApplication.class, OwnPoolBeanTest.OwnPool.class})
@PgdbmTestDatabase
class OwnPoolBeanTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnPool {
        @Bean
        SharedPool myPool(JdbcConnectionDetails database) {
            return SharedPool.create(DatabaseConfig.builder()
                    .url(database.getJdbcUrl())
                    .user(database.getUsername())
                    .password(database.getPassword())
                    .maxConnections(3)
                    .build());
        }
    }

    @Autowired
    SharedPool pool;

    @Autowired
    ShopApplication.Shop shop;

    @Test
    void theApplicationsPoolIsTheOneInUse() {
        assertThat(pool.config().maxConnections()).isEqualTo(3);
    }

    @Test
    void aFailedTransactionAcrossModulesLeavesNothingInEither() {
        long items = shop.items();
        assertThatThrownBy(() -> shop.addToCart("rolled-back-" + System.nanoTime(), -1))
                .hasMessageContaining("quantity");
        assertThat(shop.items()).isEqualTo(items);
    }

    @Test
    @Transactional
    void aTransactionalTestRollsBackWhatPgdbmWrote() {
        assertThat(TransactionSynchronizationManager.isActualTransactionActive())
                .isTrue();
        long items = shop.items();
        shop.addToCart("only-in-this-test", 1);
        assertThat(shop.items()).isEqualTo(items + 1);
        // Spring rolls the test's transaction back; the next test (any order) must not see the row
    }

    @Test
    void noTestSeesWhatATransactionalTestWrote() {
        assertThat(shop.items()).isZero();
    }
}
