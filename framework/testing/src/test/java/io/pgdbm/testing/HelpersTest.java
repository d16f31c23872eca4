package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pgdbm.DatabaseManager;
import io.pgdbm.IdentifierException;
import io.pgdbm.QueryException;
import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Fixtures, snapshots, table helpers and dual-mode tests, against a real server. */
@PgdbmTest
@Migrations(location = "classpath:db/accounts", module = "accounts", schema = "accounts")
class HelpersTest {
    static final Set<String> MODES = ConcurrentHashMap.newKeySet();

    @Test
    void sqlFixturesExpandTemplates(DatabaseManager db) {
        Fixtures.sql(db, "classpath:fixtures/accounts.sql");
        assertThat(Tables.count(db, "accounts")).isEqualTo(2);
    }

    @Test
    void jsonFixturesInsertRowsConvertingTypesAndKeepingDefaults(DatabaseManager db) {
        assertThat(Fixtures.json(db, "classpath:fixtures/accounts.json")).isEqualTo(2);
        assertThat(db.fetchValue(BigDecimal.class, "SELECT balance FROM {{tables.accounts}} WHERE owner = 'carol'"))
                .isEqualByComparingTo("10.5");
        assertThat(db.fetchValue(BigDecimal.class, "SELECT balance FROM {{tables.accounts}} WHERE owner = 'dave'"))
                .as("a column the rows leave out keeps its default")
                .isEqualByComparingTo("0");
        assertThatThrownBy(() -> Fixtures.jsonText(db, "{\"accounts; drop\": [{\"owner\": \"x\"}]}"))
                .isInstanceOf(IdentifierException.class);
        assertThatThrownBy(() -> Fixtures.jsonText(db, "{\"accounts\": [{\"owner\": \"x\", \"bad col\": 1}]}"))
                .isInstanceOf(IdentifierException.class);
        assertThatThrownBy(() -> Fixtures.sql(db, "classpath:fixtures/missing.sql"))
                .hasMessageContaining("not on the class path");
    }

    @Test
    void aFolderOfFixturesLoadsInNameOrderInOneTransaction(DatabaseManager db) {
        assertThat(Fixtures.directory(db, "classpath:fixtures/folder")).isEqualTo(1); // rows from JSON
        assertThat(db.fetchValue(BigDecimal.class, "SELECT balance FROM {{tables.accounts}} WHERE owner = 'erin'"))
                .as("the .sql file ran after the .json file")
                .isEqualByComparingTo("8");
        assertThat(Tables.count(db, "accounts")).isEqualTo(2);

        assertThatThrownBy(() -> Fixtures.directory(db, "classpath:fixtures/broken"))
                .isInstanceOf(Fixtures.FixtureException.class)
                .hasMessageContaining("02_fails.sql")
                .hasMessageContaining("balance_check");
        assertThat(Tables.count(db, "accounts", "owner = $1", "gina"))
                .as("nothing of a failing folder is loaded")
                .isZero();
        assertThatThrownBy(() -> Fixtures.directory(db, "classpath:fixtures/nowhere"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no fixtures folder fixtures/nowhere");
        assertThatThrownBy(() -> Fixtures.directory(db, "classpath:db/none"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countTakesAConditionWithArguments(DatabaseManager db) {
        Fixtures.sql(db, "classpath:fixtures/accounts.sql");
        assertThat(Tables.count(db, "accounts", "balance > $1", 60)).isEqualTo(1);
        assertThat(Tables.count(db, "accounts", "owner IN ($1, $2)", "ada", "bob"))
                .isEqualTo(2);
        assertThat(Tables.count(db, "accounts", "owner = $1", "nobody")).isZero();
        assertThatThrownBy(() -> Tables.count(db, "accounts", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotsReportWhatChanged(DatabaseManager db) {
        Fixtures.sql(db, "classpath:fixtures/accounts.sql");
        TableSnapshot before = TableSnapshot.of(db, "accounts");
        Accounts accounts = new Accounts(db);
        assertThatThrownBy(() -> accounts.transfer("bob", "ada", new BigDecimal("75")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("balance_check");
        before.assertUnchanged(); // the failed transfer left nothing behind

        accounts.transfer("ada", "bob", new BigDecimal("25"));
        assertThatThrownBy(before::assertUnchanged)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("table accounts changed: 2 row(s) added")
                .hasMessageContaining("2 row(s) removed");
    }

    @Test
    void truncateEmptiesAndRestartsIdentities(DatabaseManager db) {
        Fixtures.sql(db, "classpath:fixtures/accounts.sql");
        Tables.truncate(db, "accounts");
        assertThat(Tables.count(db, "accounts")).isZero();
        db.execute("INSERT INTO {{tables.accounts}} (owner) VALUES ('first again')");
        assertThat(db.fetchValue(Long.class, "SELECT id FROM {{tables.accounts}}"))
                .isEqualTo(1L);
        assertThatThrownBy(() -> Tables.truncate(db)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dualModeTestsRunOncePerMode() {
        MODES.clear();
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(DualModeAccountsTest.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(MODES).containsExactlyInAnyOrder("standalone", "library");
    }

    static class DualModeAccountsTest {
        @DualModeTest(schema = "host_chosen")
        void accountsWorkInBothModes(DualMode mode) {
            MODES.add(mode.toString());
            try (Accounts accounts = mode.open(Accounts::new, Accounts::new)) {
                accounts.open("ada", new BigDecimal("10"));
                assertThat(accounts.balance("ada")).isEqualByComparingTo("10");
                assertThat(accounts.db().schema()).contains(mode.standalone() ? "accounts" : "host_chosen");
                assertThat(accounts.db().ownsPool()).isEqualTo(mode.standalone());
            }
            if (!mode.standalone()) {
                assertThat(mode.database().pool().isClosed())
                        .as("the host's pool survives the module")
                        .isFalse();
            }
        }
    }
}
