package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link MigrationManager#flyway()}: Flyway's own view of a module's migrations, for reading only. */
@ExtendWith(PostgresExtension.class)
class MigrationFlywayViewTest {
    @TempDir
    Path dir;

    @Test
    void infoListsEachFileWithItsStateAsPgdbmRecordedIt(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("001_accounts.sql", "CREATE TABLE {{tables.accounts}} (id int PRIMARY KEY);")
                .file("002_index.sql", "CREATE INDEX accounts_id ON {{tables.accounts}} (id);");
        DatabaseManager db = pool.manager("flyway_view");
        MigrationManager.of(db, dir, "billing").applyPending();
        MigrationFolder.in(dir).file("003_more.sql", "ALTER TABLE {{tables.accounts}} ADD COLUMN name text;");

        MigrationManager migrations = MigrationManager.of(db, dir, "billing");
        Flyway flyway = migrations.flyway();
        List<MigrationInfo> all = Arrays.asList(flyway.info().all());

        assertThat(all)
                .extracting(MigrationInfo::getScript)
                .containsExactly("001_accounts.sql", "002_index.sql", "003_more.sql");
        assertThat(all)
                .extracting(MigrationInfo::getState)
                .containsExactly(MigrationState.SUCCESS, MigrationState.SUCCESS, MigrationState.PENDING);
        assertThat(all.get(0).getInstalledOn()).isNotNull();
        // the same record pgdbm's status reads
        MigrationStatus status = migrations.status();
        assertThat(status.applied())
                .extracting(io.pgdbm.migrations.MigrationInfo::file)
                .containsExactly("001_accounts.sql", "002_index.sql");
        assertThat(all.get(0).getChecksum())
                .isEqualTo(status.applied().get(0).checksum().orElseThrow());
        assertThat(flyway.getConfiguration().getTable()).isEqualTo("billing_schema_history");
        assertThat(flyway.getConfiguration().getDefaultSchema()).isEqualTo("flyway_view");
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void refusesEveryCommandThatWouldChangeTheSchemaAndChangesNothing(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);");
        DatabaseManager db = pool.manager("flyway_view_refuses");
        Flyway flyway = MigrationManager.of(db, dir, "refuser").flyway();
        ThrowingCallable[] commands = {flyway::migrate, flyway::repair, flyway::baseline, flyway::undo, flyway::clean};
        String[] advice = {"applyPending()", "repair()", "applyPending()", "rollback(version)", "drop the schema"};
        for (int i = 0; i < commands.length; i++) {
            assertThatThrownBy(commands[i])
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("module 'refuser' in schema flyway_view_refuses")
                    .hasMessageContaining(advice[i]);
        }
        assertThat(db.fetchValue(
                        Boolean.class,
                        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                        "flyway_view_refuses"))
                .isFalse();
        assertThat(Arrays.asList(flyway.info().pending()))
                .extracting(MigrationInfo::getScript)
                .containsExactly("001_t.sql");
    }
}
