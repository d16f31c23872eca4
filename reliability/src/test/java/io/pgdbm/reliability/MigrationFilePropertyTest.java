package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
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

/**
 * Migration files of random statements, wrapped in {@code BEGIN; … COMMIT;} or not, with a stray
 * transaction-control statement or a failing statement at a random line, in random line-ending styles.
 * A file with stray transaction control is refused naming that line, before anything runs; a file with a
 * failing statement leaves nothing applied and names the file; any other file applies whole. And a file's
 * checksum changes exactly when its text changes other than in line-ending style.
 */
class MigrationFilePropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static final AtomicInteger files = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();
    private static final AtomicInteger checksums = new AtomicInteger();
    private static final AtomicInteger schema = new AtomicInteger();

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(MigrationFilePropertyTest.class)
                .info(
                        "Migration files: {} generated ({} refused for transaction control), {} checksum comparisons",
                        files.get(),
                        refused.get(),
                        checksums.get());
        if (database != null) {
            database.close();
        }
    }

    enum Stray {
        NONE,
        COMMIT,
        ROLLBACK,
        BEGIN,
        END,
        START_TRANSACTION,
        FAILING_STATEMENT
    }

    record Plan(int tables, boolean wrapped, Stray stray, int strayAt, String lineEnd, int blankLines) {}

    /** What may stand between two statements: comments and blank lines, in any number and order. */
    enum Filler {
        BLANK,
        LINE_COMMENT,
        BLOCK_COMMENT_ONE_LINE,
        BLOCK_COMMENT_TWO_LINES,
        TRAILING_COMMENT
    }

    @Provide
    Arbitrary<List<Filler>> fillers() {
        return Arbitraries.of(Filler.class).list().ofMaxSize(5);
    }

    /**
     * The line a failure names is the line of the offending token, however many comments and blank lines
     * come before its statement, and wherever in a multi-line statement the token is.
     */
    @Property(tries = 150)
    void aFailureNamesTheLineOfTheOffendingToken(
            @ForAll("fillers") List<Filler> before,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3) int tokenLine,
            @ForAll("newlines") String lineEnd)
            throws IOException {
        files.incrementAndGet();
        List<String> lines = new ArrayList<>();
        lines.add("CREATE TABLE {{tables.a}} (id int, b int);");
        for (Filler filler : before) {
            switch (filler) {
                case BLANK -> lines.add("");
                case LINE_COMMENT -> lines.add("-- a comment; with a semicolon");
                case BLOCK_COMMENT_ONE_LINE -> lines.add("/* block */");
                case BLOCK_COMMENT_TWO_LINES -> {
                    lines.add("/* block");
                    lines.add("   comment */");
                }
                case TRAILING_COMMENT -> lines.add("SELECT 1; -- trailing");
            }
        }
        // a statement over four lines; the unknown column on line tokenLine of it
        int first = lines.size() + 1;
        for (int i = 0; i < 4; i++) {
            String column = i == tokenLine ? "no_such_column" : "id";
            lines.add((i == 0 ? "SELECT " : "     , ") + column + (i == 3 ? " FROM {{tables.a}};" : ""));
        }
        Path folder = Files.createTempDirectory("migration-lines");
        Files.writeString(folder.resolve("001_lines.sql"), String.join(lineEnd, lines) + lineEnd);
        DatabaseManager db = pool.manager("mig_" + schema.incrementAndGet());
        MigrationException failure = null;
        try {
            MigrationManager.of(db, folder, "lines").applyPending();
        } catch (MigrationException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(failure.line())
                .as("%s, token on line %d of the statement", before, tokenLine)
                .contains(first + tokenLine);
    }

    @Provide
    Arbitrary<String> newlines() {
        return Arbitraries.of("\n", "\r\n");
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Arbitraries.integers()
                .between(1, 6)
                .flatMap(tables -> Combinators.combine(
                                Arbitraries.of(true, false),
                                Arbitraries.of(Stray.class),
                                Arbitraries.integers().between(0, tables),
                                Arbitraries.of("\n", "\r\n", "\r"),
                                Arbitraries.integers().between(0, 2))
                        .as((wrapped, stray, at, end, blanks) -> new Plan(tables, wrapped, stray, at, end, blanks)));
    }

    private static String strayStatement(Stray stray) {
        return switch (stray) {
            case COMMIT -> "COMMIT;";
            case ROLLBACK -> "rollback;";
            case BEGIN -> "BEGIN;";
            case END -> "END;";
            case START_TRANSACTION -> "START TRANSACTION;";
            case FAILING_STATEMENT -> "SELECT 1 / 0;";
            case NONE -> throw new IllegalArgumentException();
        };
    }

    @Property(tries = 250)
    void aFileIsOneTransactionOrRefusedNamingTheLine(@ForAll("plans") Plan plan) throws IOException {
        files.incrementAndGet();
        List<String> lines = new ArrayList<>();
        if (plan.wrapped()) {
            lines.add("BEGIN;");
            for (int i = 0; i < plan.blankLines(); i++) {
                lines.add("");
            }
        }
        int strayLine = -1;
        for (int i = 0; i <= plan.tables(); i++) {
            if (i == plan.strayAt() && plan.stray() != Stray.NONE) {
                lines.add("-- the next statement is " + plan.stray());
                lines.add(strayStatement(plan.stray()));
                strayLine = lines.size();
            }
            if (i < plan.tables()) {
                lines.add("CREATE TABLE {{tables.t" + i + "}} (id int, note text DEFAULT 'COMMIT; ROLLBACK;');");
            }
        }
        if (plan.wrapped()) {
            lines.add("COMMIT;");
        }
        Path folder = Files.createTempDirectory("migration-props");
        Files.writeString(folder.resolve("001_generated.sql"), String.join(plan.lineEnd(), lines) + plan.lineEnd());
        DatabaseManager db = pool.manager("mig_" + schema.incrementAndGet());

        MigrationException failure = null;
        try {
            MigrationManager.of(db, folder, "generated").applyPending();
        } catch (MigrationException e) {
            failure = e;
        }
        int created = db.fetchValue(
                Integer.class,
                "SELECT count(*)::int FROM pg_tables WHERE schemaname = $1 AND tablename NOT LIKE '%schema_history'",
                db.schema().orElseThrow());
        if (plan.stray() == Stray.NONE) {
            assertThat(failure).as("%s", plan).isNull();
            assertThat(created).as("%s", plan).isEqualTo(plan.tables());
        } else if (plan.stray() == Stray.FAILING_STATEMENT) {
            assertThat(failure).as("%s", plan).isNotNull();
            assertThat(failure.getMessage()).contains("001_generated.sql").contains("line " + strayLine);
            assertThat(created).as("nothing of the file stays: %s", plan).isZero();
        } else {
            assertThat(failure).as("%s", plan).isNotNull();
            assertThat(failure.getMessage())
                    .contains("001_generated.sql line " + strayLine)
                    .contains("-- pgdbm:no-transaction");
            assertThat(created).as("refused before anything ran: %s", plan).isZero();
            refused.incrementAndGet();
        }
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return Arbitraries.strings()
                .withChars("ab -;'\t")
                .ofMaxLength(12)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }

    @Property(tries = 500)
    void theChecksumChangesExactlyWhenTheTextChangesBeyondLineEndings(
            @ForAll("texts") List<String> lines,
            @ForAll("texts") List<String> otherLines,
            @ForAll("lineEnds") String end,
            @ForAll("lineEnds") String otherEnd)
            throws IOException {
        checksums.incrementAndGet();
        int first = checksum(String.join(end, lines));
        int sameLinesOtherEndings = checksum(String.join(otherEnd, lines));
        assertThat(sameLinesOtherEndings).isEqualTo(first);
        // joining two lines (a comment swallowing the next line) is a change
        if (lines.size() > 1) {
            List<String> joined = new ArrayList<>(lines.subList(0, lines.size() - 2));
            joined.add(lines.get(lines.size() - 2) + lines.get(lines.size() - 1));
            assertThat(checksum(String.join(end, joined)))
                    .as("%s joined", lines)
                    .isNotEqualTo(first);
        }
        int other = checksum(String.join(otherEnd, otherLines));
        assertThat(other == first).as("%s vs %s", lines, otherLines).isEqualTo(lines.equals(otherLines));
    }

    @Provide
    Arbitrary<String> lineEnds() {
        return Arbitraries.of("\n", "\r\n", "\r");
    }

    /** The checksum pgdbm records for a file with this text, read from the history after applying it. */
    private static int checksum(String text) throws IOException {
        Path folder = Files.createTempDirectory("checksum-props");
        Files.writeString(folder.resolve("001_text.sql"), "/* " + text + " */\nSELECT 1;");
        return MigrationManager.of(pool.manager("checksums"), folder, "sums")
                .status()
                .pending()
                .get(0)
                .checksum()
                .orElseThrow();
    }
}
