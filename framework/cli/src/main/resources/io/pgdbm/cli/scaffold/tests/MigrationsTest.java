package @package@;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.testing.InjectDatabase;
import io.pgdbm.testing.Migrations;
import io.pgdbm.testing.PgdbmTest;
import org.junit.jupiter.api.Test;

/**
 * The @module@ module's migrations, each test on a fresh database with them applied (pgdbm-testing: an
 * embedded PostgreSQL, or the server PGDBM_TEST_URL names). Written by `pgdbm generate tests`; edit freely.
 */
@PgdbmTest
@dependencies@@Migrations(location = "@location@", module = "@module@", schema = "@schema@")
class @Name@MigrationsTest {
    private static final String MIGRATIONS = "@location@";

    @InjectDatabase(schema = "@schema@")
    DatabaseManager db;

    @Test
    void theMigrationsCreateTheModulesTables() {
@tables@
    }

    @Test
    void applyingThemAgainChangesNothing() {
        MigrationResult again = MigrationManager.of(db, MIGRATIONS, "@module@").applyPending();
        assertThat(again.status()).isEqualTo(MigrationResult.Status.UP_TO_DATE);
    }

    @Test
    void theyApplyInWhateverSchemaAHostChooses(SharedPool pool) {
        DatabaseManager elsewhere = pool.manager("@schema@_elsewhere");
        MigrationResult result = MigrationManager.of(elsewhere, MIGRATIONS, "@module@").applyPending();
        assertThat(result.status()).isEqualTo(MigrationResult.Status.APPLIED);
@tablesElsewhere@
    }
@rollback@}
