package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.SharedPool;
import io.pgdbm.cli.Pgdbm;
import io.pgdbm.migrations.MigrationInfo;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Rolling back is the same as never having applied: random migrations (tables, columns, indexes, views, checks,
 * enums, comments, each with the down file that undoes it) are applied, then rolled back to a random version;
 * the schema's DDL, as {@code pgdbm dev export-schema} reads it from the catalog, must equal that of a schema
 * where only the migrations up to that version were ever applied, and the history must list exactly those.
 * Applying again after the rollback must give the DDL of applying everything.
 */
class RollbackPropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static final AtomicInteger schemas = new AtomicInteger();
    private static final AtomicInteger migrations = new AtomicInteger();
    private static final AtomicInteger undone = new AtomicInteger();

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = SharedPool.create(database.config().maxConnections(4).build());
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(RollbackPropertyTest.class)
                .info(
                        "Rollback: {} schemas, {} migrations applied, {} rolled back",
                        schemas.get(),
                        migrations.get(),
                        undone.get());
        if (pool != null) {
            pool.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** One step of a module's history: a migration and the down file that undoes it. */
    record Step(String up, String down) {}

    /** What a step needs to know of the steps before it. */
    static final class Model {
        final List<String> tables = new ArrayList<>();
        final Map<String, String> comments = new java.util.HashMap<>();
        int next;
    }

    @Provide
    Arbitrary<List<Integer>> plans() {
        return Arbitraries.integers().between(0, 999).list().ofMinSize(2).ofMaxSize(8);
    }

    /** Turns random choices into valid steps, each inverse to its down file at the point where it runs. */
    static List<Step> steps(List<Integer> choices) {
        Model model = new Model();
        List<Step> steps = new ArrayList<>();
        for (int choice : choices) {
            int n = ++model.next;
            int kind = model.tables.isEmpty() ? 0 : choice % 7;
            String table = model.tables.isEmpty() ? null : model.tables.get(choice / 7 % model.tables.size());
            Step step = switch (kind) {
                case 0 -> {
                    String created = "t" + n;
                    model.tables.add(created);
                    yield new Step(
                            "CREATE TABLE {{tables." + created + "}} (id int PRIMARY KEY, c0 text);",
                            "DROP TABLE {{tables." + created + "}};");
                }
                case 1 ->
                    new Step(
                            "ALTER TABLE {{tables." + table + "}} ADD COLUMN c" + n + " "
                                    + List.of("int", "text", "numeric(10,2)", "jsonb", "timestamptz")
                                            .get(choice % 5)
                                    + (choice % 2 == 0 ? " NOT NULL DEFAULT " + defaultFor(choice % 5) : "") + ";",
                            "ALTER TABLE {{tables." + table + "}} DROP COLUMN c" + n + ";");
                case 2 ->
                    new Step(
                            "CREATE INDEX i" + n + " ON {{tables." + table + "}} (c0" + (choice % 3 == 0 ? ", id" : "")
                                    + ");",
                            "DROP INDEX {{schema}}.i" + n + ";");
                case 3 ->
                    new Step(
                            "CREATE VIEW {{schema}}.v" + n + " AS SELECT id, c0 FROM {{tables." + table
                                    + "}} WHERE id > " + choice + ";",
                            "DROP VIEW {{schema}}.v" + n + ";");
                case 4 ->
                    new Step(
                            "ALTER TABLE {{tables." + table + "}} ADD CONSTRAINT ck" + n + " CHECK (id > -" + choice
                                    + ");",
                            "ALTER TABLE {{tables." + table + "}} DROP CONSTRAINT ck" + n + ";");
                case 5 ->
                    new Step(
                            "CREATE TYPE {{schema}}.e" + n + " AS ENUM ('a" + choice + "', 'b');",
                            "DROP TYPE {{schema}}.e" + n + ";");
                default -> {
                    String previous = model.comments.get(table);
                    String comment = "note " + choice + " it''s";
                    model.comments.put(table, comment);
                    yield new Step(
                            "COMMENT ON TABLE {{tables." + table + "}} IS '" + comment + "';",
                            "COMMENT ON TABLE {{tables." + table + "}} IS "
                                    + (previous == null ? "NULL" : "'" + previous + "'") + ";");
                }
            };
            steps.add(step);
        }
        return steps;
    }

    private static String defaultFor(int type) {
        return List.of("0", "''", "0", "'{}'", "now()").get(type);
    }

    @Property(tries = 20)
    void rollingBackEqualsNeverHavingApplied(
            @ForAll("plans") List<Integer> choices, @ForAll("targets") int targetChoice) throws IOException {
        List<Step> steps = steps(choices);
        int target = targetChoice % (steps.size() + 1);
        Path all = folder(steps, steps.size());
        Path kept = folder(steps, target);
        int id = schemas.addAndGet(3);
        String rolled = "rb_" + id;
        String never = "rb_" + (id + 1);
        String everything = "rb_" + (id + 2);

        MigrationManager rolling = MigrationManager.of(pool.manager(rolled), all, "mod");
        rolling.applyPending();
        migrations.addAndGet(steps.size());
        List<String> rolledBack = rolling.rollback(Integer.toString(target));
        undone.addAndGet(rolledBack.size());
        assertThat(rolledBack).hasSize(steps.size() - target);
        pool.manager(never).ensureSchema(); // with nothing to keep, the module never made its schema
        MigrationManager.of(pool.manager(never), kept, "mod").applyPending();

        assertThat(export(rolled).replace(rolled, "S"))
                .as("rolled back to %d of %s", target, steps)
                .isEqualTo(export(never).replace(never, "S"));
        assertThat(rolling.status().applied()).extracting(MigrationInfo::file).hasSize(target);

        rolling.applyPending();
        MigrationManager.of(pool.manager(everything), all, "mod").applyPending();
        assertThat(export(rolled).replace(rolled, "S"))
                .as("applied again after rolling back to %d of %s", target, steps)
                .isEqualTo(export(everything).replace(everything, "S"));
    }

    @Provide
    Arbitrary<Integer> targets() {
        return Arbitraries.integers().between(0, 100);
    }

    private static Path folder(List<Step> steps, int count) throws IOException {
        Path dir = Files.createTempDirectory("pgdbm-rollback-");
        for (int i = 0; i < count; i++) {
            String number = String.format("%03d", i + 1);
            Files.writeString(dir.resolve(number + "_step.sql"), steps.get(i).up() + "\n");
            Files.writeString(
                    dir.resolve(number + "_step.down.sql"), steps.get(i).down() + "\n");
        }
        return dir;
    }

    /** The schema's DDL as the command line exports it (a module's history table is never exported). */
    private static String export(String schema) throws IOException {
        Path workingDirectory = Files.createTempDirectory("pgdbm-export-");
        // the module, so that its history table is left out of the export as pgdbm's bookkeeping
        Files.writeString(workingDirectory.resolve("pgdbm.toml"), "[modules.mod]\nmigrations_path = \"m\"\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var line = Pgdbm.commandLine(new Pgdbm(
                Map.of("DATABASE_URL", database.url()),
                new BufferedReader(new StringReader("")),
                false,
                workingDirectory));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute("dev", "export-schema", "--schema", schema, "--output", "-");
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }
}
