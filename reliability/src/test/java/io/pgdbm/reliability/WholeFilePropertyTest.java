package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationStatus;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * pgdbm sends each transactional migration file in one round trip and, when it fails, runs the same migrations
 * again statement by statement to name the failing line. Files of random statements chosen to stress statement
 * splitting (dollar-quoted and {@code BEGIN ATOMIC} bodies with semicolons, strings and comments holding
 * semicolons, quotes and JDBC escape syntax, statements that return rows, DO blocks), between random comments,
 * with a failing statement at a random place or none, into a new schema or one with its first file applied:
 * the outcome is exactly what running the statements one by one gives — every file applied with its objects and
 * history, or (grouped for a new schema) nothing of the failing run applied and the failing line named — and a
 * run without a failure never needs the statement-by-statement fallback.
 */
class WholeFilePropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static final AtomicInteger schema = new AtomicInteger();
    private static final AtomicInteger failures = new AtomicInteger();
    private static final AtomicInteger statements = new AtomicInteger();

    @BeforeContainer
    static void open() {
        Logger manager = (Logger) LoggerFactory.getLogger(MigrationManager.class);
        manager.setLevel(Level.DEBUG);
        logs.start();
        manager.addAppender(logs);
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
    }

    @AfterContainer
    static void close() {
        Logger manager = (Logger) LoggerFactory.getLogger(MigrationManager.class);
        manager.detachAppender(logs);
        manager.setLevel(null);
        LoggerFactory.getLogger(WholeFilePropertyTest.class)
                .info(
                        "Whole-file migrations: {} schemas, {} statements, {} runs with a failing statement",
                        schema.get(),
                        statements.get(),
                        failures.get());
        if (database != null) {
            database.close();
        }
    }

    /** Statements that each add one row to the file's log table when they run (the last column counts them). */
    enum Kind {
        INSERT_PLAIN,
        INSERT_SEMICOLONS_IN_STRING,
        INSERT_ESCAPED_QUOTE,
        INSERT_JDBC_ESCAPE_TEXT,
        DOLLAR_FUNCTION_CALLED,
        ATOMIC_FUNCTION_CALLED,
        DO_BLOCK,
        SELECT_RETURNING_ROWS_THEN_INSERT,
        COMMENT_ON_WITH_SEMICOLON_THEN_INSERT
    }

    /** Between statements: nothing, blank lines, or comments with semicolons and quotes in them. */
    enum Filler {
        NONE,
        BLANK,
        LINE_COMMENT,
        BLOCK_COMMENT
    }

    record Step(Kind kind, Filler before) {}

    record FilePlan(List<Step> steps) {}

    /** {@code failFile < 0}: nothing fails; else the statement before step {@code failStep} of that file fails. */
    record Plan(List<FilePlan> files, int failFile, int failStep, boolean firstFileApplied, String failing) {}

    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of(Filler.class))
                .as(Step::new);
        Arbitrary<FilePlan> file = step.list().ofMinSize(1).ofMaxSize(6).map(FilePlan::new);
        return file.list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .flatMap(files -> Combinators.combine(
                                Arbitraries.integers().between(-files.size(), files.size() - 1),
                                Arbitraries.integers().between(0, 6),
                                Arbitraries.of(true, false),
                                Arbitraries.of(
                                        "INSERT INTO {{tables.no_such_table}} VALUES (1);",
                                        "SELECT 1 / 0;",
                                        "SELECT 'not a number'::int;"))
                        .as((failFile, failStep, applied, failing) -> new Plan(
                                files,
                                failFile,
                                failFile < 0
                                        ? 0
                                        : Math.min(
                                                failStep,
                                                files.get(failFile).steps().size()),
                                applied && files.size() > 1 && failFile != 0,
                                failing)));
    }

    private static void filler(List<String> lines, Filler filler) {
        switch (filler) {
            case NONE -> {}
            case BLANK -> lines.add("");
            case LINE_COMMENT -> lines.add("-- a note; with 'quotes' and {fn now()} -- and more");
            case BLOCK_COMMENT -> {
                lines.add("/* a block; with a ' quote");
                lines.add("   and a second line; */");
            }
        }
    }

    /** The lines of one statement of {@code kind} in file {@code f}; each adds one row to {@code log_<f>}. */
    private static List<String> statement(Kind kind, int f, int n) {
        String log = "{{tables.log_" + f + "}}";
        String fn = "{{tables.fn_" + f + "_" + n + "}}";
        return switch (kind) {
            case INSERT_PLAIN -> List.of("INSERT INTO " + log + " (note) VALUES ('plain');");
            case INSERT_SEMICOLONS_IN_STRING -> List.of("INSERT INTO " + log + " (note) VALUES ('a; b; -- c /* d');");
            case INSERT_ESCAPED_QUOTE ->
                List.of("INSERT INTO " + log + " (note, extra) VALUES (E'it\\'s; fine', 'x');");
            case INSERT_JDBC_ESCAPE_TEXT -> List.of("INSERT INTO " + log + " (note) VALUES ('{fn now()}; {d 2020}');");
            case DOLLAR_FUNCTION_CALLED ->
                List.of(
                        "CREATE FUNCTION " + fn + "() RETURNS void LANGUAGE plpgsql AS $body$",
                        "BEGIN",
                        "  INSERT INTO " + log + " (note) VALUES ('from a function; with semicolons');",
                        "END;",
                        "$body$;",
                        "SELECT " + fn + "();");
            case ATOMIC_FUNCTION_CALLED ->
                List.of(
                        "CREATE FUNCTION " + fn + "() RETURNS int LANGUAGE sql",
                        "BEGIN ATOMIC",
                        "  SELECT 1;",
                        "  SELECT 2;",
                        "END;",
                        "INSERT INTO " + log + " (note) SELECT 'atomic ' || " + fn + "();");
            case DO_BLOCK ->
                List.of("DO $$ BEGIN", "  INSERT INTO " + log + " (note) VALUES ('from DO; yes');", "END $$;");
            case SELECT_RETURNING_ROWS_THEN_INSERT ->
                List.of(
                        "SELECT g, 'x;y' FROM generate_series(1, 3) g;",
                        "INSERT INTO " + log + " (note) VALUES ('after a select');");
            case COMMENT_ON_WITH_SEMICOLON_THEN_INSERT ->
                List.of(
                        "COMMENT ON TABLE " + log + " IS 'a; comment -- here';",
                        "INSERT INTO " + log + " (note) VALUES ('after a comment');");
        };
    }

    @Property(tries = 120)
    void oneRoundTripPerFileGivesWhatStatementByStatementGives(@ForAll("plans") Plan plan) throws IOException {
        Path folder = Files.createTempDirectory("whole-file");
        List<Integer> failLines = new ArrayList<>();
        for (int f = 0; f < plan.files().size(); f++) {
            List<String> lines = new ArrayList<>();
            lines.add("-- file " + f);
            lines.add("CREATE TABLE {{tables.log_" + f + "}} (id serial PRIMARY KEY, note text, extra text);");
            List<Step> steps = plan.files().get(f).steps();
            for (int s = 0; s <= steps.size(); s++) {
                if (f == plan.failFile() && s == plan.failStep()) {
                    lines.add(plan.failing());
                    failLines.add(lines.size());
                }
                if (s < steps.size()) {
                    filler(lines, steps.get(s).before());
                    lines.addAll(statement(steps.get(s).kind(), f, s));
                    statements.incrementAndGet();
                }
            }
            Files.writeString(folder.resolve(String.format("%03d_file_%d.sql", f + 1, f)), String.join("\n", lines));
        }
        DatabaseManager db = pool.manager("whole_" + schema.incrementAndGet());
        String name = "whole";
        if (plan.firstFileApplied()) {
            Path first = Files.createTempDirectory("whole-file-first");
            Files.copy(folder.resolve("001_file_0.sql"), first.resolve("001_file_0.sql"));
            MigrationManager.of(db, first, name).applyPending();
        }
        logs.list.clear();

        MigrationException failure = null;
        try {
            MigrationManager.of(db, folder, name).applyPending();
        } catch (MigrationException e) {
            failure = e;
        }

        MigrationStatus status = MigrationManager.of(db, folder, name).status();
        boolean fellBack = logs.list.stream()
                .anyMatch(event -> event.getFormattedMessage().contains("running statement by statement"));
        if (plan.failFile() < 0) {
            assertThat(failure).as("%s", plan).isNull();
            assertThat(fellBack)
                    .as("a run without a failing statement needs no fallback: %s", plan)
                    .isFalse();
            assertThat(status.upToDate()).isTrue();
            for (int f = 0; f < plan.files().size(); f++) {
                assertThat(rows(db, f))
                        .as("rows of file %d: %s", f, plan)
                        .isEqualTo(plan.files().get(f).steps().size());
            }
            return;
        }
        failures.incrementAndGet();
        assertThat(failure).as("%s", plan).isNotNull();
        String failingFile = String.format("%03d_file_%d.sql", plan.failFile() + 1, plan.failFile());
        assertThat(failure.file()).contains(failingFile);
        assertThat(failure.line()).as("%s", plan).contains(failLines.get(0));
        // a new schema is provisioned all or nothing; otherwise each file before the failing one stays applied
        int appliedBefore = plan.firstFileApplied() ? plan.failFile() : 0;
        assertThat(status.applied()).as("%s", plan).hasSize(appliedBefore);
        for (int f = 0; f < plan.files().size(); f++) {
            boolean applied = f < appliedBefore;
            assertThat(tableExists(db, f)).as("log_%d of %s", f, plan).isEqualTo(applied);
            if (applied) {
                assertThat(rows(db, f)).isEqualTo(plan.files().get(f).steps().size());
            }
        }
    }

    private static boolean tableExists(DatabaseManager db, int f) {
        return db.tableExists("log_" + f);
    }

    private static int rows(DatabaseManager db, int f) {
        return db.fetchValue(Integer.class, "SELECT count(*)::int FROM {{tables.log_" + f + "}}");
    }
}
