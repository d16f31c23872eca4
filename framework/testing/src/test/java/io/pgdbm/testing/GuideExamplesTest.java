package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.QueryException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The examples of docs/testing.md. */
class GuideExamplesTest {

    // tag::pgdbm-test[]
    @PgdbmTest // a fresh, migrated database for every test
    @Migrations(location = "classpath:db/accounts", module = "accounts", schema = "accounts")
    @Migrations(location = "classpath:db/ledger", module = "ledger", schema = "ledger")
    static class AccountsTest {
        @InjectDatabase(schema = "ledger")
        DatabaseManager ledger;

        @Test
        void transfersMoveMoney(DatabaseManager accounts) { // the first @Migrations' schema
            Fixtures.sql(accounts, "classpath:fixtures/accounts.sql");
            new Accounts(accounts).transfer("ada", "bob", new BigDecimal("30"));
            assertThat(accounts.fetchValue(
                            BigDecimal.class, "SELECT balance FROM {{tables.accounts}} WHERE owner = 'bob'"))
                    .isEqualByComparingTo("80");
            assertThat(Tables.count(ledger, "entries")).isZero();
        }

        @Test
        void aFailedTransferChangesNothing(DatabaseManager accounts) {
            Fixtures.json(accounts, "classpath:fixtures/accounts.json");
            TableSnapshot before = TableSnapshot.of(accounts, "accounts");
            assertThatThrownBy(() -> new Accounts(accounts).transfer("carol", "dave", new BigDecimal("99")))
                    .isInstanceOf(QueryException.class);
            before.assertUnchanged();
        }
    }
    // end::pgdbm-test[]

    // tag::rollback[]
    @PgdbmTest(isolation = Isolation.ROLLBACK) // one database; each test's work rolled back
    @Migrations(location = "classpath:db/accounts", module = "accounts", schema = "accounts")
    static class FastAccountsTest {
        @Test
        void opensAnAccount(DatabaseManager accounts) {
            new Accounts(accounts).open("erin", BigDecimal.TEN);
            assertThat(Tables.count(accounts, "accounts")).isEqualTo(1);
        }
    }
    // end::rollback[]

    // tag::dual-mode[]
    static class AccountsDualModeTest {
        @DualModeTest // runs twice: [standalone] and [library]
        void worksStandaloneAndAsALibrary(DualMode mode) {
            try (Accounts accounts = mode.open(Accounts::new, Accounts::new)) {
                accounts.open("ada", new BigDecimal("10"));
                assertThat(accounts.balance("ada")).isEqualByComparingTo("10");
            }
        }
    }
    // end::dual-mode[]

    @Test
    void factoryWithoutJUnit() {
        // tag::factory[]
        TestDatabaseFactory factory = TestDatabaseFactory.shared();
        try (TestDatabase db = factory.create(MigrationSpec.of("classpath:db/accounts", "accounts", "accounts"))) {
            DatabaseManager accounts = db.manager();
            accounts.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ($1)", "ada");
            String url = db.url(); // for code that opens its own pool
            // end::factory[]
            assertThat(url).contains(db.name());
            assertThat(Tables.count(accounts, "accounts")).isEqualTo(1);
            // tag::factory[]
        } // given back: reset for the next test, or dropped in the background
        // end::factory[]
    }

    /** The example classes above run here, so the guide's code is known to pass. */
    @Nested
    class TheExamplesPass {
        @Test
        void allOfThem() {
            for (Class<?> example :
                    new Class<?>[] {AccountsTest.class, FastAccountsTest.class, AccountsDualModeTest.class}) {
                org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
                        .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(example))
                        .execute()
                        .testEvents()
                        .assertStatistics(stats -> stats.failed(0).aborted(0))
                        .assertThatEvents()
                        .isNotEmpty();
            }
        }
    }
}
