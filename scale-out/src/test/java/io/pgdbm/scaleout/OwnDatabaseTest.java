package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.monitoring.Diagnostics;
import io.pgdbm.monitoring.HealthReport;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The "multiple databases" pattern: one application, two modules, each in a database of its own with its own
 * pool, migrations and health — and the module's code is the same code that runs on a shared pool.
 */
class OwnDatabaseTest {

    /** A module's code, as a dual-mode library writes it: it is handed a manager and never asks where it is. */
    static final class Orders {
        private final DatabaseManager db;

        Orders(DatabaseManager db) {
            this.db = db;
            MigrationManager.of(db, "classpath:db/orders", "orders").applyPending();
        }

        long place(String customer, String total) {
            return db.fetchValue(
                    Long.class,
                    "INSERT INTO {{tables.orders}} (customer, total) VALUES ($1, $2) RETURNING id",
                    customer,
                    new BigDecimal(total));
        }

        long count() {
            return db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.orders}}");
        }
    }

    @Test
    void aModuleMovesToItsOwnDatabaseWithNoCodeChange() {
        try (TestDatabase main = TestDatabaseFactory.shared().create();
                TestDatabase own = TestDatabaseFactory.shared().create();
                SharedPool shared = SharedPool.create(main.config().build());
                SharedPool separate =
                        SharedPool.create(own.config().maxConnections(3).build())) {
            // on the shared pool, next to another module
            Orders together = new Orders(shared.manager("orders"));
            together.place("ada", "10.00");
            // the same module, deployed to a database of its own: only the manager handed to it differs
            Orders apart = new Orders(separate.manager("orders"));
            apart.place("bob", "20.00");
            apart.place("cy", "30.00");

            assertThat(together.count()).isEqualTo(1);
            assertThat(apart.count()).isEqualTo(2);
            assertThat(shared.manager().fetchValue(String.class, "SELECT current_database()"))
                    .isEqualTo(main.name());
            assertThat(separate.manager().fetchValue(String.class, "SELECT current_database()"))
                    .isEqualTo(own.name());
            // each database has its own migration history, and each pool its own health
            for (SharedPool pool : new SharedPool[] {shared, separate}) {
                MigrationResult again = MigrationManager.of(pool.manager("orders"), "classpath:db/orders", "orders")
                        .applyPending();
                assertThat(again.status()).isEqualTo(MigrationResult.Status.UP_TO_DATE);
                assertThat(Diagnostics.of(pool.manager()).health().status()).isEqualTo(HealthReport.Status.HEALTHY);
            }
            assertThat(separate.stats().max()).isEqualTo(3);
            assertThat(shared.stats().max()).isEqualTo(10);
        }
    }
}
