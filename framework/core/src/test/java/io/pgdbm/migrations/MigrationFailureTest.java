package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class MigrationFailureTest {
    @TempDir
    Path dir;

    @Test
    void aPoolOfOneConnectionIsRefusedAtOnceWithTheFix(io.pgdbm.TestDatabase database) {
        MigrationFolder.in(dir).file("001_base.sql", "CREATE TABLE {{tables.base}} (id int);\n");
        try (SharedPool single =
                SharedPool.create(database.config().maxConnections(1).build())) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> MigrationManager.of(single.manager("single"), dir, "single")
                            .applyPending())
                    .isInstanceOf(io.pgdbm.ConfigurationException.class)
                    .hasMessageContaining("at least 2 connections")
                    .hasMessageContaining("maxConnections=1");
            assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
            assertThat(single.manager().fetchValue(Boolean.class, "SELECT to_regclass('single.base') IS NULL"))
                    .isTrue();
        }
    }

    @Test
    void theLineIsTheFailingOnesAlsoAfterCommentsAndBlankLines(SharedPool pool) {
        DatabaseManager db = pool.manager("comment_lines");
        String[] files = {
            "CREATE TABLE {{tables.a}} (id int);\n-- a comment\nSELECT no_such_column FROM {{tables.a}};\n",
            "CREATE TABLE {{tables.a}} (id int);\n\n-- one\n-- two\n\nSELECT\n  no_such_column\nFROM {{tables.a}};\n",
            "/* a block\n   comment */\nSELECT no_such_column FROM pg_class;\n",
            "CREATE TABLE {{tables.a}} (id int); -- trailing\n-- next\nSELECT id,\n no_such_column FROM {{tables.a}};\n",
        };
        int[] lines = {3, 7, 3, 4};
        for (int i = 0; i < files.length; i++) {
            Path folder = dir.resolve("lines" + i);
            try {
                java.nio.file.Files.createDirectories(folder);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            MigrationFolder.in(folder).file("001_f.sql", files[i]);
            int index = i;
            MigrationException error = catchThrowableOfType(
                    MigrationException.class,
                    () -> MigrationManager.of(pool.manager("comment_lines_" + index), folder, "lines_" + index)
                            .applyPending());
            assertThat(error.line()).as("file %d:\n%s", i, files[i]).contains(lines[i]);
        }
        assertThat(db.schema()).isPresent();
    }

    @Test
    void syntaxTheServerDoesNotKnowNamesTheServersVersion(SharedPool pool) throws Exception {
        DatabaseManager db = pool.manager("newer_syntax");
        // syntax of a PostgreSQL that does not exist yet: every server answers as an older one would
        MigrationFolder.in(dir).file("001_future.sql", "CREATE TABLE {{tables.t}} (id int) WITH FUTURE SYNTAX;\n");
        MigrationException error = catchThrowableOfType(
                MigrationException.class,
                () -> MigrationManager.of(db, dir, "future_mod").applyPending());
        String version;
        try (java.sql.Connection connection = pool.dataSource().getConnection()) {
            version = connection.getMetaData().getDatabaseProductVersion();
        }
        assertThat(error.sqlState()).contains("42601");
        assertThat(error.getMessage())
                .contains("001_future.sql")
                .contains("the server runs PostgreSQL " + version)
                .contains("written for a newer PostgreSQL");
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void aFailingFileLeavesNothingAppliedAndLaterFilesDoNotRun(SharedPool pool) {
        DatabaseManager db = pool.manager("failing");
        MigrationFolder.in(dir).file("001_base.sql", "CREATE TABLE {{tables.base}} (id int);\n");
        MigrationManager.of(db, dir, "fail_mod").applyPending();
        MigrationFolder.in(dir)
                .file("002_broken.sql", """
                        CREATE TABLE {{tables.half}} (id int);
                        INSERT INTO {{tables.half}} VALUES (1);

                        SELECT *
                        FROM {{tables.half}}
                        WHERE no_such_column = 1;
                        """)
                .file("003_later.sql", "CREATE TABLE {{tables.later}} (id int);\n");
        MigrationException error = catchThrowableOfType(
                MigrationException.class,
                () -> MigrationManager.of(db, dir, "fail_mod").applyPending());
        assertThat(error.module()).isEqualTo("fail_mod");
        assertThat(error.schema()).contains("failing");
        assertThat(error.file()).contains("002_broken.sql");
        assertThat(error.line())
                .as("the line of the bad column, not of the statement's start")
                .contains(6);
        assertThat(error.sqlState()).contains("42703");
        assertThat(error.getMessage())
                .contains("Migration 002_broken.sql of module 'fail_mod' failed in schema failing at line 6")
                .contains("no_such_column")
                .contains("Nothing of this file was applied")
                .as("a missing column is no sign of an older server")
                .doesNotContain("the server runs PostgreSQL");

        assertThat(db.tableExists("base")).isTrue();
        assertThat(db.tableExists("half"))
                .as("nothing of the failed file stays")
                .isFalse();
        assertThat(db.tableExists("later")).as("later files did not run").isFalse();
        MigrationStatus status = MigrationManager.of(db, dir, "fail_mod").status();
        assertThat(status.applied()).extracting(MigrationInfo::file).containsExactly("001_base.sql");
        assertThat(status.pending()).extracting(MigrationInfo::file).containsExactly("002_broken.sql", "003_later.sql");
        assertThat(status.failed()).isEmpty();

        // Fixed, the file applies, and so does the next one.
        MigrationFolder.in(dir).file("002_broken.sql", """
                CREATE TABLE {{tables.half}} (id int);
                INSERT INTO {{tables.half}} VALUES (1);
                """);
        MigrationResult fixed = MigrationManager.of(db, dir, "fail_mod").applyPending();
        assertThat(fixed.applied())
                .extracting(AppliedMigration::file)
                .containsExactly("002_broken.sql", "003_later.sql");
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.half}}"))
                .isEqualTo(1L);
    }

    @Test
    void theFirstRunInASchemaIsAllOrNothing(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("001_base.sql", "CREATE TABLE {{tables.base}} (id int);\n")
                .file(
                        "002_broken.sql",
                        "CREATE TABLE {{tables.half}} (id int);\nSELECT missing_column FROM {{tables.half}};\n");
        DatabaseManager db = pool.manager("fresh_tenant");
        MigrationException error = catchThrowableOfType(
                MigrationException.class,
                () -> MigrationManager.of(db, dir, "tenant").applyPending());
        assertThat(error.file()).contains("002_broken.sql");
        assertThat(error.line()).contains(2);
        assertThat(db.tableExists("base"))
                .as("a new tenant is provisioned completely or not at all")
                .isFalse();
        assertThat(db.tableExists("half")).isFalse();
        MigrationStatus status = MigrationManager.of(db, dir, "tenant").status();
        assertThat(status.applied()).isEmpty();
        assertThat(status.pending()).hasSize(2);

        MigrationFolder.in(dir).file("002_broken.sql", "CREATE TABLE {{tables.half}} (id int);\n");
        assertThat(MigrationManager.of(db, dir, "tenant").applyPending().applied())
                .hasSize(2);
    }

    @Test
    void aSyntaxErrorNamesItsLine(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("001_typo.sql", "CREATE TABLE {{tables.a}} (id int);\n\nCREAT TABLE {{tables.b}} (id int);\n");
        MigrationException error = catchThrowableOfType(
                MigrationException.class,
                () -> MigrationManager.of(pool.manager("typo"), dir, "typo").applyPending());
        assertThat(error.line()).contains(3);
        assertThat(error.sqlState()).contains("42601");
        assertThat(pool.manager("typo").tableExists("a")).isFalse();
    }

    @Test
    void aBadNameInATemplateIsReportedWithFileAndLineBeforeAnythingRuns(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("001_ok.sql", "SELECT 1;\n")
                .file("002_bad.sql", "SELECT 1;\nCREATE TABLE {{tables.bad-name}} (id int);\n");
        MigrationException error = catchThrowableOfType(
                MigrationException.class, () -> MigrationManager.of(pool.manager("badname"), dir, "badname"));
        assertThat(error.file()).contains("002_bad.sql");
        assertThat(error.line()).contains(2);
        assertThat(error.getMessage()).contains("bad-name");
    }

    @Test
    void aFileChangedAfterItWasAppliedIsReportedWithBothChecksumsAndRepairAcceptsIt(SharedPool pool) {
        MigrationFolder.in(dir).file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);\n");
        DatabaseManager db = pool.manager("drift");
        MigrationManager.of(db, dir, "drift").applyPending();
        int original = MigrationManager.of(db, dir, "drift")
                .status()
                .applied()
                .get(0)
                .checksum()
                .orElseThrow();

        MigrationFolder.in(dir)
                .file("001_t.sql", "CREATE TABLE {{tables.t}} (id bigint);\n")
                .file("002_next.sql", "CREATE TABLE {{tables.next}} (id int);\n");
        MigrationManager changed = MigrationManager.of(db, dir, "drift");
        int now = changed.status().changed().get(0).checksum().orElseThrow();
        assertThat(now).isNotEqualTo(original);
        MigrationException error = catchThrowableOfType(MigrationException.class, changed::applyPending);
        assertThat(error.getMessage()).contains("001_t.sql");
        assertThat(db.tableExists("next"))
                .as("nothing runs while the history does not match")
                .isFalse();
        MigrationException validation = catchThrowableOfType(MigrationException.class, changed::validate);
        assertThat(validation.getMessage())
                .contains("001_t.sql changed after it was applied")
                .contains("checksum applied " + original + ", now " + now)
                .contains("repair()");
        assertThat(validation.file()).contains("001_t.sql");

        assertThat(changed.repair()).contains("001_t.sql");
        changed.validate();
        assertThat(changed.applyPending().applied())
                .extracting(AppliedMigration::file)
                .containsExactly("002_next.sql");
    }

    @Test
    void aDeletedFileIsReportedMissing(SharedPool pool) {
        MigrationFolder.in(dir).file("001_a.sql", "SELECT 1;\n").file("002_b.sql", "SELECT 2;\n");
        DatabaseManager db = pool.manager("missing_file");
        MigrationManager.of(db, dir, "mf").applyPending();
        MigrationFolder.in(dir).delete("001_a.sql");
        MigrationManager manager = MigrationManager.of(db, dir, "mf");
        assertThat(manager.status().missing()).extracting(MigrationInfo::file).containsExactly("001_a.sql");
        assertThatThrownBy(manager::validate).hasMessageContaining("001_a.sql was applied but the file is gone");
    }

    @Test
    void createIndexConcurrentlyRunsOutsideATransactionWithoutHanging(SharedPool pool) {
        MigrationFolder.in(dir)
                .file(
                        "001_table.sql",
                        "CREATE TABLE {{tables.big}} (id int, v text);\nINSERT INTO {{tables.big}}"
                                + " SELECT g, 'v' || g FROM generate_series(1, 1000) g;\n")
                .file(
                        "002_index.sql",
                        "-- pgdbm:no-transaction\nCREATE INDEX CONCURRENTLY big_v_idx ON {{tables.big}} (v);\n")
                .file("003_after.sql", "CREATE TABLE {{tables.after_index}} (id int);\n");
        DatabaseManager db = pool.manager("concurrently");
        MigrationResult result = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> MigrationManager.of(db, dir, "conc").applyPending());
        assertThat(result.applied()).hasSize(3);
        assertThat(db.fetchValue(
                        Boolean.class,
                        "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('\"concurrently\".big_v_idx')"))
                .isTrue();
        MigrationPlan plan = MigrationManager.of(db, dir, "conc").plan();
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void anUnmarkedFileMixingConcurrentIndexAndOtherStatementsFailsWithAdvice(SharedPool pool) {
        MigrationFolder.in(dir)
                .file(
                        "001_mixed.sql",
                        "CREATE TABLE {{tables.m}} (id int);\nCREATE INDEX CONCURRENTLY m_idx ON {{tables.m}} (id);\n");
        MigrationException error = catchThrowableOfType(
                MigrationException.class,
                () -> MigrationManager.of(pool.manager("mixed"), dir, "mixed").applyPending());
        assertThat(error.getMessage()).contains("001_mixed.sql").contains("-- pgdbm:no-transaction");
        assertThat(error.file()).contains("001_mixed.sql");
        assertThat(pool.manager("mixed").tableExists("m")).isFalse();
    }

    @Test
    void aFailedNonTransactionalFileNeedsRepairAndSaysSo(SharedPool pool) {
        MigrationFolder.in(dir).file("001_nt.sql", """
                -- pgdbm:no-transaction
                CREATE TABLE {{tables.stays}} (id int);
                SELECT * FROM {{tables.missing}};
                """);
        DatabaseManager db = pool.manager("nontx");
        MigrationException error = catchThrowableOfType(
                MigrationException.class,
                () -> MigrationManager.of(db, dir, "nt").applyPending());
        assertThat(error.getMessage()).contains("outside a transaction").contains("repair()");
        assertThat(db.tableExists("stays")).isTrue();
        MigrationManager manager = MigrationManager.of(db, dir, "nt");
        assertThat(manager.status().failed()).extracting(MigrationInfo::file).containsExactly("001_nt.sql");
        db.execute("DROP TABLE {{tables.stays}}");
        MigrationFolder.in(dir)
                .file("001_nt.sql", "-- pgdbm:no-transaction\nCREATE TABLE {{tables.stays}} (id int);\n");
        MigrationManager fixed = MigrationManager.of(db, dir, "nt");
        assertThat(fixed.repair()).contains("001_nt.sql");
        assertThat(fixed.applyPending().applied()).hasSize(1);
    }

    @Test
    void planShowsWhatWouldRunWithRenderedSql(SharedPool pool) {
        MigrationFolder.in(dir)
                .file("001_a.sql", "CREATE TABLE {{tables.a}} (id int);\n")
                .file("002_b.sql", "-- pgdbm:no-transaction\nCREATE INDEX CONCURRENTLY a_idx ON {{tables.a}} (id);\n");
        DatabaseManager db = pool.manager("planned");
        MigrationPlan plan = MigrationManager.of(db, dir, "plan").plan();
        assertThat(plan.steps()).extracting(MigrationPlan.Step::file).containsExactly("001_a.sql", "002_b.sql");
        assertThat(plan.steps().get(0).sql()).isEqualTo("CREATE TABLE \"planned\".a (id int);\n");
        assertThat(plan.steps().get(0).transactional()).isTrue();
        assertThat(plan.steps().get(1).transactional()).isFalse();
        assertThat(db.tableExists("a")).as("a plan runs nothing").isFalse();
    }
}
