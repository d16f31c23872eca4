package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.ModuleGraph;
import io.pgdbm.migrations.SchemaProvisioner;
import io.pgdbm.monitoring.Diagnostics;
import io.pgdbm.monitoring.QueryMonitor;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input through every public verb: each either works or throws a {@link PgdbmException} with an
 * {@link ErrorCode}. Nothing else escapes but plain programming errors (null arguments, a transaction used
 * after its work), which this test does not provoke.
 */
@ExtendWith(PostgresExtension.class)
class ExceptionRootTest {
    private static final List<String> HOSTILE_SQL = List.of(
            "SELEC 1",
            "SELECT $2",
            "SELECT $1, ?",
            "SELECT $0",
            "SELECT $99999999",
            "SELECT 1/0",
            "SELECT * FROM {{tables.bad-name}}",
            "SELECT * FROM {{tables.a.b.c}}",
            "SELECT * FROM {{ tables.x }}",
            "SELECT 'unterminated",
            "SELECT \"unterminated",
            "SELECT $$unterminated",
            "/* unterminated",
            "SELECT * FROM no_such_table",
            "COMMIT",
            "SELECT pg_sleep(0.001)",
            "SELECT repeat('x', 100)::int",
            "",
            "   ",
            ";",
            "SELECT E'\\\\x00'::text",
            "x".repeat(100_000));

    private static final List<Object[]> HOSTILE_ARGUMENTS = List.of(
            new Object[] {},
            new Object[] {1, 2, 3},
            new Object[] {new Object()},
            new Object[] {Map.of("a", 1)},
            new Object[] {List.of(new Object())},
            new Object[] {"nul\u0000byte"},
            new Object[] {new BigDecimal("1e100000")},
            new Object[] {Double.NaN},
            new Object[] {new int[] {1, 2}},
            new Object[] {(Object) null});

    private static final List<Class<?>> TYPES =
            List.of(Integer.class, Short.class, Boolean.class, java.util.UUID.class);

    private static DatabaseManager db;
    private static SharedPool closedPool;
    private static final List<String> escaped = new ArrayList<>();
    private static int calls;

    @BeforeAll
    static void setUp(SharedPool pool, TestDatabase database) {
        db = pool.manager("hostile");
        db.ensureSchema();
        db.execute("CREATE TABLE IF NOT EXISTS {{tables.t}} (id int PRIMARY KEY, name text NOT NULL)");
        closedPool = SharedPool.create(
                database.config().statementTimeout(Duration.ofSeconds(2)).build());
        closedPool.close();
    }

    @FunctionalInterface
    interface Call {
        void run() throws Throwable;
    }

    /** Runs {@code call}; anything but success or a PgdbmException with a code is recorded. */
    private static void check(String what, Call call) {
        calls++;
        Throwable thrown = catchThrowable(call::run);
        if (thrown == null) {
            return;
        }
        if (!(thrown instanceof PgdbmException pgdbm) || pgdbm.code() == null) {
            escaped.add(what + " -> " + thrown.getClass().getName() + ": " + thrown.getMessage());
        }
    }

    /** A statement run through {@code dsl()}: jOOQ's DataAccessException family, or ours for the connection. */
    private static void checkJooq(String what, Call call) {
        calls++;
        Throwable thrown = catchThrowable(call::run);
        if (thrown != null
                && !(thrown instanceof PgdbmException)
                && !(thrown instanceof org.jooq.exception.DataAccessException)) {
            escaped.add(what + " -> " + thrown.getClass().getName() + ": " + thrown.getMessage());
        }
    }

    /** Runs a call against some operations: a manager's, or a fresh transaction's. */
    @FunctionalInterface
    interface Target {
        void run(OpsCall call) throws Throwable;
    }

    @FunctionalInterface
    interface OpsCall {
        void run(DatabaseOperations ops) throws Throwable;
    }

    private static Target direct(DatabaseOperations ops) {
        return call -> call.run(ops);
    }

    /** Each call in a transaction of its own, so one failure does not abort the next call's work. */
    private static Target inTransaction(DatabaseManager manager) {
        return call -> manager.transaction(tx -> {
            try {
                call.run(tx);
            } catch (Throwable e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        });
    }

    private static void verbs(String where, Target target) {
        for (String sql : HOSTILE_SQL) {
            String shown = where + " [" + (sql.length() > 40 ? sql.substring(0, 40) + "…" : sql) + "]";
            for (Object[] args : HOSTILE_ARGUMENTS) {
                String call = shown
                        + Arrays.toString(args)
                                .substring(0, Math.min(40, Arrays.toString(args).length()));
                check(call + " execute", () -> target.run(ops -> ops.execute(sql, args)));
                check(call + " fetchOne", () -> target.run(ops -> ops.fetchOne(sql, args)));
                check(call + " fetchAll", () -> target.run(ops -> ops.fetchAll(sql, args)));
                check(
                        call + " executeMany",
                        () -> target.run(ops -> ops.executeMany(sql, List.of(Arrays.asList(args)))));
                for (Class<?> type : TYPES) {
                    check(
                            call + " fetchValue " + type.getSimpleName(),
                            () -> target.run(ops -> ops.fetchValue(type, sql, args)));
                    check(
                            call + " fetchOne " + type.getSimpleName(),
                            () -> target.run(ops -> ops.fetchOne(type, sql, args)));
                    check(
                            call + " fetchAll " + type.getSimpleName(),
                            () -> target.run(ops -> ops.fetchAll(type, sql, args)));
                }
            }
            check(shown + " prepare", () -> target.run(ops -> ops.prepare(sql).fetchAll(1)));
            check(shown + " render", () -> target.run(ops -> ops.render(sql)));
            check(shown + " tableExists", () -> target.run(ops -> ops.tableExists(sql)));
            check(
                    shown + " copyRecords table",
                    () -> target.run(ops -> ops.copyRecords(sql, List.of("id"), List.of(List.of(1)))));
            check(
                    shown + " copyRecords column",
                    () -> target.run(ops -> ops.copyRecords("t", List.of(sql), List.of(List.of(1)))));
        }
        for (Object[] args : HOSTILE_ARGUMENTS) {
            List<Object> row = new ArrayList<>(Arrays.asList(args));
            check(
                    where + " copyRecords row " + row,
                    () -> target.run(ops -> ops.copyRecords("t", List.of("id", "name"), List.of(row))));
            check(
                    where + " copyRecords values",
                    () -> target.run(ops -> ops.copyRecords(
                            "t", List.of("id", "name"), List.of(Arrays.asList(1, args.length == 0 ? null : args[0])))));
        }
        check(where + " copyRecords no columns", () -> target.run(ops -> ops.copyRecords("t", List.of(), List.of())));
        // SQL run through jOOQ's own API fails with jOOQ's exceptions (by design); the connection it borrows is ours
        checkJooq(
                where + " dsl unknown table",
                () -> target.run(ops ->
                        ops.dsl().selectFrom(DSL.table(DSL.name("missing"))).fetch()));
        check(
                where + " prepare(Select) odd",
                () -> target.run(ops -> ops.prepare(DSL.selectFrom(DSL.table(DSL.name("t"))))));
    }

    @Test
    void everyVerbFailsOnlyWithPgdbmExceptions(@TempDir Path folder) throws Exception {
        verbs("manager", direct(db));
        verbs("transaction", inTransaction(db));
        verbs("closed pool", direct(closedPool.manager("hostile")));
        assertThat(catchThrowable(
                        () -> closedPool.manager("x").dsl().selectOne().fetch()))
                .as("a closed pool fails dsl() with pgdbm's ConnectionException")
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("is closed");
        check("closed pool transaction", () -> closedPool.manager("x").transaction(tx -> tx.execute("SELECT 1")));
        check("closed pool acquire", closedPool::acquire);

        for (String name : List.of("bad name", "a;b", "\"q\"", "", "x".repeat(100), "é", "1abc", "a.b")) {
            check("manager(" + name + ")", () -> db.pool().manager(name));
            check("forModule(" + name + ")", () -> db.forModule(name));
            check("withSchemaMapping(" + name + ")", () -> db.withSchemaMapping(name, "x"));
            check(
                    "MigrationManager module " + name,
                    () -> MigrationManager.of(db, folder, name).applyPending());
            check(
                    "SchemaProvisioner schema " + name,
                    () -> SchemaProvisioner.of(db.pool(), folder, "m").provision(List.of(name)));
            check(
                    "ModuleGraph " + name,
                    () -> ModuleGraph.builder().module(name).build());
            check("tableSizes " + name, () -> Diagnostics.of(db).tableSizes(name));
        }
        check("forModule without schema", () -> db.pool().manager().forModule("users"));
        check(
                "missing folder",
                () -> MigrationManager.of(db, folder.resolve("nope"), "m").applyPending());
        check(
                "missing classpath",
                () -> MigrationManager.of(db, "classpath:db/nope", "m").applyPending());
        check("garbage location", () -> MigrationManager.of(db, "ftp://x", "m").applyPending());
        Path bad = Files.createDirectories(folder.resolve("bad"));
        Files.writeString(bad.resolve("notanumber_x.sql"), "SELECT 1");
        Files.write(bad.resolve("002_binary.sql"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        Files.writeString(bad.resolve("003_broken.sql"), "CREATE TABLE {{tables.x}} (");
        check("bad migration files", () -> MigrationManager.of(db, bad, "m").applyPending());
        check("bad migration status", () -> MigrationManager.of(db, bad, "m").status());
        check("bad migration validate", () -> MigrationManager.of(db, bad, "m").validate());
        check(
                "parallelism 0",
                () -> SchemaProvisioner.of(db.pool(), folder, "m").parallelism(0));
        check(
                "cycle",
                () -> ModuleGraph.builder()
                        .module("a", "b")
                        .module("b", "a")
                        .build()
                        .order());
        check("explain garbage", () -> Diagnostics.of(db).explain("SELEC", List.of(), false));
        check("explain analyze write", () -> Diagnostics.of(db).explain("DELETE FROM {{tables.t}}", List.of(), true));
        check("monitor threshold", () -> QueryMonitor.builder().slowQueryThreshold(Duration.ofMillis(-1)));
        check("monitor history", () -> QueryMonitor.builder().historySize(-5));
        for (String url : List.of(
                "",
                "nonsense",
                "postgresql://h:99999/db",
                "postgresql://[::1/db",
                "postgresql://u:p%zz@h/db",
                "jdbc:postgresql://u@h/db",
                "postgresql://h/db?sslmode=bogus",
                "postgresql://h/db?options=garbage",
                "mysql://h/db")) {
            check("url " + url, () -> DatabaseConfig.builder().url(url).build());
        }
        check(
                "negative pool",
                () -> DatabaseConfig.builder()
                        .url("postgresql://h/db")
                        .maxConnections(-1)
                        .build());
        check(
                "unreachable",
                () -> SharedPool.create(DatabaseConfig.builder()
                                .url("postgresql://127.0.0.1:1/db")
                                .startupRetries(0, Duration.ZERO)
                                .build())
                        .close());

        assertThat(escaped)
                .as("failures that are not PgdbmExceptions (of %s calls)", calls)
                .isEmpty();
        assertThat(calls).isGreaterThan(10_000);
    }
}
