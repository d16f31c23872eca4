package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link MigrationManager#rollback}: down files undo migrations newest first, or nothing is undone. */
@ExtendWith(PostgresExtension.class)
class MigrationRollbackTest {
    @TempDir
    Path dir;

    private MigrationFolder threeWithDownFiles() {
        return MigrationFolder.in(dir)
                .file("001_items.sql", "CREATE TABLE {{tables.items}} (id int PRIMARY KEY);")
                .file("001_items.down.sql", "DROP TABLE {{tables.items}};")
                .file(
                        "002_tags.sql",
                        "CREATE TABLE {{tables.tags}} (item int REFERENCES {{tables.items}}, tag text);\n"
                                + "INSERT INTO {{tables.items}} VALUES (1);")
                .file(
                        "002_tags.down.sql",
                        "BEGIN;\nDROP TABLE {{tables.tags}};\nDELETE FROM {{tables.items}};\nCOMMIT;\n")
                .file("003_note.sql", "ALTER TABLE {{tables.items}} ADD COLUMN note text;")
                .file("003_note.down.sql", "ALTER TABLE {{tables.items}} DROP COLUMN note;");
    }

    @Test
    void downFilesUndoNewerMigrationsNewestFirstAndTheyApplyAgain(SharedPool pool) {
        threeWithDownFiles();
        DatabaseManager db = pool.manager("rolling");
        MigrationManager migrations = MigrationManager.of(db, dir, "rolling");
        migrations.applyPending();

        assertThat(migrations.rollback("1")).containsExactly("003_note.sql", "002_tags.sql");
        assertThat(db.tableExists("tags")).isFalse();
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}"))
                .isZero();
        assertThat(db.fetchValue(
                        Boolean.class,
                        "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'rolling'"
                                + " AND table_name = 'items' AND column_name = 'note')"))
                .isFalse();
        assertThat(migrations.status().pending())
                .extracting(MigrationInfo::file)
                .containsExactly("002_tags.sql", "003_note.sql");
        assertThat(migrations.rollback("001"))
                .as("nothing newer than 1 is applied")
                .isEmpty();

        assertThat(migrations.applyPending().applied())
                .extracting(AppliedMigration::file)
                .containsExactly("002_tags.sql", "003_note.sql");
        migrations.validate();
        assertThat(migrations.rollback("0")).containsExactly("003_note.sql", "002_tags.sql", "001_items.sql");
        assertThat(db.tableExists("items")).isFalse();
        assertThat(migrations.status().applied()).isEmpty();
    }

    @Test
    void withoutADownFileForEveryMigrationToUndoNothingIsUndone(SharedPool pool) {
        threeWithDownFiles().delete("002_tags.down.sql");
        DatabaseManager db = pool.manager("partial_down");
        MigrationManager migrations = MigrationManager.of(db, dir, "partial_down");
        migrations.applyPending();

        MigrationException e = catchThrowableOfType(MigrationException.class, () -> migrations.rollback("1"));
        assertThat(e.getMessage())
                .contains("nothing was undone")
                .contains("002_tags.sql has no down file: write 002_tags.down.sql")
                .doesNotContain("003_note");
        assertThat(db.tableExists("tags")).isTrue();
        assertThat(migrations.status().applied()).hasSize(3);
        assertThat(migrations.rollback("2")).containsExactly("003_note.sql");
    }

    @Test
    void aFailingDownFileNamesItsLineAndLeavesItsMigrationApplied(SharedPool pool) {
        threeWithDownFiles()
                .file("002_tags.down.sql", "DROP TABLE {{tables.tags}};\n\nDROP TABLE {{tables.nowhere}};\n");
        DatabaseManager db = pool.manager("failing_down");
        MigrationManager migrations = MigrationManager.of(db, dir, "failing_down");
        migrations.applyPending();

        MigrationException e = catchThrowableOfType(MigrationException.class, () -> migrations.rollback("1"));
        assertThat(e.getMessage())
                .contains("Rolling back 002_tags.sql")
                .contains("002_tags.down.sql line 3")
                .contains("nowhere")
                .contains("stays applied");
        assertThat(e.file()).contains("002_tags.down.sql");
        assertThat(e.line()).contains(3);
        assertThat(db.tableExists("tags"))
                .as("the failed down file's transaction rolled back")
                .isTrue();
        assertThat(migrations.status().applied())
                .extracting(MigrationInfo::file)
                .containsExactly("001_items.sql", "002_tags.sql");
    }

    @Test
    void flywayUndoFilesAreDownFilesAndRepeatablesStay(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("V1__people.sql", "CREATE TABLE {{tables.people}} (name text);")
                .file("V2__pets.sql", "CREATE TABLE {{tables.pets}} (name text);")
                .file("U2__pets.sql", "DROP TABLE {{tables.pets}};")
                .file(
                        "R__people_view.sql",
                        "CREATE OR REPLACE VIEW {{schema}}.everyone AS SELECT name FROM {{tables.people}};");
        DatabaseManager db = pool.manager("flyway_undo");
        MigrationManager migrations = MigrationManager.of(db, dir, "flyway_undo");
        migrations.applyPending();
        assertThat(migrations.rollback("1")).containsExactly("V2__pets.sql");
        assertThat(db.tableExists("pets")).isFalse();
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{schema}}.everyone"))
                .isZero();
    }

    @Test
    void badVersionsAndBadDownFilesAreRefusedBeforeAnythingRuns(SharedPool pool) {
        threeWithDownFiles();
        DatabaseManager db = pool.manager("bad_rollback");
        MigrationManager migrations = MigrationManager.of(db, dir, "bad_rollback");
        migrations.applyPending();
        assertThatThrownBy(() -> migrations.rollback("two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a migration version");
        MigrationFolder.in(dir).file("003_note.down.sql", "ALTER TABLE {{tables.bad name}} DROP COLUMN note;");
        assertThatThrownBy(() -> migrations.rollback("1"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("003_note.down.sql line 1");
        assertThat(migrations.status().applied()).hasSize(3);
    }
}
