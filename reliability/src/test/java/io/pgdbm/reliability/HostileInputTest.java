package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgdbm.DatabaseManager;
import io.pgdbm.IdentifierException;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.Record;

/**
 * Generated identifiers, templates, statements and migration files, pushed through the renderer, the {@code $n}
 * translator and the migration loader. The server is the oracle: a rendered name is parsed by
 * {@code parse_ident} (and, for a sample, planned by {@code EXPLAIN} against real tables), and a translated
 * statement must return exactly the value its literals and arguments make.
 */
class HostileInputTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static DatabaseManager admin;
    private static final AtomicInteger accepted = new AtomicInteger();
    private static final AtomicInteger planned = new AtomicInteger();

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
        admin = pool.manager();
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(HostileInputTest.class)
                .info(
                        "Hostile identifiers: {} accepted (each checked by the server), {} planned against real tables",
                        accepted.get(),
                        planned.get());
        if (database != null) {
            database.close();
        }
    }

    /** Valid identifiers and near-misses of them, plus quotes, separators, comments, Unicode and overlong names. */
    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> nearValid = Arbitraries.strings()
                .withChars("abcxyzABCXYZ_0123456789")
                .ofMinLength(0)
                .ofMaxLength(70);
        Arbitrary<String> hostile = Arbitraries.strings()
                .withChars("aZ_9\"';.-/*$ \t\n\\()[]{}?%éß€\u0000")
                .ofMinLength(1)
                .ofMaxLength(20);
        Arbitrary<String> injected = Combinators.combine(
                        nearValid,
                        Arbitraries.of(
                                "\"; DROP TABLE x; --",
                                "\".\"",
                                "\"",
                                "'",
                                ";",
                                " ",
                                "--",
                                "/*",
                                "}}",
                                "{{",
                                ".",
                                "\u0000",
                                "é"))
                .as((base, attack) -> base + attack);
        Arbitrary<String> valid = Combinators.combine(
                        Arbitraries.chars().with("abcxyzABCXYZ_".toCharArray()),
                        Arbitraries.strings()
                                .withChars("abcxyzABCXYZ_0123456789")
                                .ofMaxLength(62))
                .as((first, rest) -> first + rest);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, valid),
                net.jqwik.api.Tuple.of(3, nearValid),
                net.jqwik.api.Tuple.of(2, hostile),
                net.jqwik.api.Tuple.of(1, injected));
    }

    @Property(tries = 10_000)
    void identifiersAreRejectedOrRenderedToExactlyTheIntendedSchemaAndTable(
            @ForAll("names") String schema, @ForAll("names") String table) {
        // a "}" in the name joins the closing braces and ends the template early: the rest is plain SQL text (below)
        net.jqwik.api.Assume.that(!table.contains("}"));
        DatabaseManager db;
        try {
            db = pool.manager(schema);
        } catch (IdentifierException rejected) {
            assertThat(rejected.getMessage()).contains("schema").contains("not a valid identifier");
            return;
        }
        String rendered;
        try {
            rendered = db.render("{{tables." + table + "}}");
        } catch (IdentifierException rejected) {
            assertThat(rejected.getMessage()).contains("{{tables.");
            return;
        }
        accepted.incrementAndGet();
        String[] parts = admin.fetchValue(String[].class, "SELECT parse_ident($1)", rendered);
        int dot = table.indexOf('.');
        if (dot >= 0) {
            // {{tables.other.t}} names its schema explicitly: exactly that one
            assertThat(parts)
                    .containsExactly(
                            table.substring(0, dot), table.substring(dot + 1).toLowerCase(Locale.ROOT));
            return;
        }
        assertThat(parts).containsExactly(schema, table.toLowerCase(Locale.ROOT));
        if (accepted.get() % 50 == 0) {
            // a sample against real objects: the planner resolves the rendered query to the intended table
            admin.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            admin.execute("CREATE TABLE IF NOT EXISTS " + rendered + " (id int)");
            String plan = db.fetchValue(
                    String.class, "EXPLAIN (FORMAT JSON, VERBOSE) SELECT id FROM {{tables." + table + "}}");
            assertThat(plan)
                    .contains("\"Relation Name\": \"" + table.toLowerCase(Locale.ROOT) + "\"")
                    .contains("\"Schema\": \"" + schema + "\"");
            planned.incrementAndGet();
        }
    }

    /** One piece of a generated statement: its SQL, the text it evaluates to, and the argument it binds. */
    record Piece(String sql, String value, String argument) {}

    @Provide
    Arbitrary<List<Piece>> statements() {
        Arbitrary<String> text =
                Arbitraries.strings().withChars("ab?$1:'\"\\;-/*{}é ").ofMaxLength(12);
        Arbitrary<Piece> literal = text.map(t -> new Piece("'" + t.replace("'", "''") + "'", t, null));
        Arbitrary<Piece> escape =
                text.filter(t -> !t.contains("\\")).map(t -> new Piece("E'" + t.replace("'", "\\'") + "'", t, null));
        Arbitrary<Piece> dollar = text.filter(t -> !t.contains("$q$")).map(t -> new Piece("$q$" + t + "$q$", t, null));
        Arbitrary<Piece> parameter = text.map(t -> new Piece(null, t, t));
        Arbitrary<Piece> comment = text.filter(t -> !t.contains("*/") && !t.contains("/*"))
                .map(t -> new Piece("/* " + t + " */ ''", "", null));
        // PostgreSQL ends a line comment at \n or \r: what follows is SQL again
        Arbitrary<Piece> lineComment = Combinators.combine(text, Arbitraries.of("\n", "\r", "\r\n"))
                .as((t, end) -> new Piece("'' -- " + t.replace("\r", "").replace("\n", "") + end, "", null));
        Arbitrary<Piece> jsonbOperator = Arbitraries.of(
                new Piece("CASE WHEN '{\"a\":1}'::jsonb ? 'a' THEN 'y' ELSE 'n' END", "y", null),
                new Piece("CASE WHEN '{\"a\":1}'::jsonb ?| array['b'] THEN 'y' ELSE 'n' END", "n", null));
        // the operators after columns named like keywords, qualified names, quoted names, calls and subscripts
        Arbitrary<Piece> jsonbAfterNames = Combinators.combine(
                        Arbitraries.of(
                                "filter",
                                "rows",
                                "first",
                                "next",
                                "zone",
                                "over",
                                "\"values\"",
                                "\"array\"",
                                "probe.rows",
                                "probe.filter",
                                "(filter)",
                                "coalesce(rows, '{}')",
                                "filter->'x'"),
                        Arbitraries.of("? 'a'", "? 'b'", "?| array['b', 'a']", "?& array['a']", "?& array['a', 'b']"))
                .as((name, operator) -> {
                    boolean nested = name.endsWith("->'x'");
                    boolean yes = !nested
                            && (operator.equals("? 'a'")
                                    || operator.startsWith("?|")
                                    || operator.equals("?& array['a']"));
                    return new Piece(
                            "CASE WHEN " + name + " " + operator + " THEN 'y' ELSE 'n' END", yes ? "y" : "n", null);
                });
        return Arbitraries.oneOf(
                        literal, escape, dollar, parameter, comment, lineComment, jsonbOperator, jsonbAfterNames)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    @Property(tries = 2_000)
    void placeholdersAreFoundOnlyOutsideLiteralsCommentsAndOperators(@ForAll("statements") List<Piece> pieces) {
        StringBuilder sql = new StringBuilder("SELECT concat(''");
        StringBuilder expected = new StringBuilder();
        List<Object> args = new ArrayList<>();
        for (Piece piece : pieces) {
            sql.append(",\n  ");
            if (piece.argument() != null) {
                args.add(piece.argument());
                sql.append('$').append(args.size()).append("::text");
            } else {
                sql.append(piece.sql());
            }
            expected.append(piece.value());
        }
        sql.append(") AS v FROM {{tables.probe}} probe");
        DatabaseManager db = pool.manager("probe_schema");
        ensureProbe(db);
        String value = db.fetchValue(String.class, sql.toString(), args.toArray());
        assertThat(value).as(sql.toString()).isEqualTo(expected.toString());
    }

    private static volatile boolean probeReady;

    private static void ensureProbe(DatabaseManager db) {
        if (!probeReady) {
            db.ensureSchema();
            db.execute("CREATE TABLE IF NOT EXISTS {{tables.probe}} AS SELECT 1 AS one, '{\"a\": 1}'::jsonb AS filter,"
                    + " '{\"a\": 1}'::jsonb AS rows, '{\"a\": 1}'::jsonb AS first, '{\"a\": 1}'::jsonb AS next,"
                    + " '{\"a\": 1}'::jsonb AS zone, '{\"a\": 1}'::jsonb AS over, '{\"a\": 1}'::jsonb AS \"values\","
                    + " '{\"a\": 1}'::jsonb AS \"array\"");
            probeReady = true;
        }
    }

    @Provide
    Arbitrary<String> fileNames() {
        Arbitrary<String> prefix = Arbitraries.of("", "001_", "V2__", "R__", "01_", "1_", "abc_", "001-", "__");
        Arbitrary<String> body =
                Arbitraries.strings().withChars("abc_XYZ09.- ;'\"$é{}").ofMaxLength(15);
        Arbitrary<String> suffix = Arbitraries.of(".sql", ".SQL", ".sql.bak", "", ".conf", ".txt", ".sql ");
        return Combinators.combine(prefix, body, suffix)
                .as((p, b, s) -> p + b + s)
                .filter(n -> !n.isBlank() && !n.equals(".") && !n.equals("..") && n.length() < 100);
    }

    @Property(tries = 1_000)
    void migrationFileNamesAreLoadedOrRejectedCleanly(@ForAll("fileNames") String name) throws Exception {
        Path dir = Files.createTempDirectory("hostile-migrations");
        try {
            Files.writeString(dir.resolve(name), "SELECT 1;");
            Throwable thrown = catchThrowable(() -> MigrationManager.of(pool.manager("files"), dir, "files"));
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(MigrationException.class);
                assertThat(thrown.getMessage()).isNotBlank().contains("files");
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Property(tries = 300)
    void hostileTemplatesInMigrationsAreRejectedAndNothingIsApplied(
            @ForAll("names") String table, @ForAll("names") String schemaPart) throws Exception {
        Path dir = Files.createTempDirectory("hostile-content");
        String schema = "content_" + Integer.toHexString(Math.abs((table + "|" + schemaPart).hashCode()));
        try {
            Files.writeString(dir.resolve("001_ok.sql"), "CREATE TABLE {{tables.good}} (id int);");
            Files.writeString(
                    dir.resolve("002_hostile.sql"),
                    "CREATE TABLE {{tables." + schemaPart + "." + table + "}} (id int);");
            Throwable thrown = catchThrowable(() ->
                    MigrationManager.of(pool.manager(schema), dir, "content").applyPending());
            if (thrown == null) {
                // both parts were valid identifiers: the table went exactly where the template said
                assertThat(admin.fetchValue(
                                Boolean.class, "SELECT to_regclass($1) IS NOT NULL", "\"" + schemaPart + "\"." + table))
                        .isTrue();
                admin.execute("DROP SCHEMA IF EXISTS \"" + schemaPart + "\" CASCADE");
            } else {
                assertThat(thrown).isInstanceOfAny(MigrationException.class, IdentifierException.class);
                // the module's first run is all-or-nothing: 001 is not applied either
                assertThat(admin.fetchValue(Boolean.class, "SELECT to_regclass($1) IS NULL", schema + ".good"))
                        .isTrue();
            }
        } finally {
            admin.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Property(tries = 1)
    void rowsOfTheProbeAreUntouched() {
        Record row = pool.manager()
                .fetchOne("SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'x'")
                .orElseThrow();
        assertThat(row.get("n", Long.class)).isZero();
    }
}
