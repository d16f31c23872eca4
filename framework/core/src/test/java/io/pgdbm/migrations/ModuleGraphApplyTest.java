package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A module graph applying its modules' migrations: checks at once, applies in dependency order. */
@ExtendWith(PostgresExtension.class)
class ModuleGraphApplyTest {
    @TempDir
    Path dir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** billing needs orders, which needs users; declared backwards. */
    private static final ModuleGraph GRAPH = ModuleGraph.builder()
            .module("billing", "orders")
            .module("orders", "users")
            .module("users")
            .build();

    private String schema(String module) {
        return module + "_" + run;
    }

    private Path folder(String module) throws IOException {
        return Files.createDirectories(dir.resolve(module));
    }

    /** Each module's migrations reference the tables of the module it depends on, so order matters. */
    private void writeModules() throws IOException {
        MigrationFolder.in(folder("users"))
                .file("001_users.sql", "CREATE TABLE {{tables.users}} (id int PRIMARY KEY);");
        MigrationFolder.in(folder("orders"))
                .file(
                        "001_orders.sql",
                        "CREATE TABLE {{tables.orders}} (id int PRIMARY KEY, user_id int REFERENCES {{tables."
                                + schema("users") + ".users}} (id));");
        MigrationFolder.in(folder("billing"))
                .file(
                        "001_invoices.sql",
                        "CREATE TABLE {{tables.invoices}} (order_id int REFERENCES {{tables." + schema("orders")
                                + ".orders}} (id));");
    }

    private Function<String, MigrationManager> managers(SharedPool pool) {
        return module -> MigrationManager.of(pool.manager(schema(module)), dir.resolve(module), module);
    }

    @Test
    void appliesInDependencyOrderThenFindsEveryModuleUpToDateCheckingThemAtOnce(SharedPool pool) throws IOException {
        writeModules();
        List<MigrationResult> first = GRAPH.applyPending(managers(pool));
        assertThat(first).extracting(MigrationResult::module).containsExactly("users", "orders", "billing");
        assertThat(first).extracting(MigrationResult::status).containsOnly(MigrationResult.Status.APPLIED);

        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<MigrationResult> again = GRAPH.applyPending(module -> {
            threads.add(Thread.currentThread().getName());
            return managers(pool).apply(module);
        });
        assertThat(again).extracting(MigrationResult::status).containsOnly(MigrationResult.Status.UP_TO_DATE);
        assertThat(threads)
                .as("one thread per module, up to four")
                .hasSize(3)
                .allMatch(name -> name.startsWith("pgdbm-migration-check-"));
        assertThat(GRAPH.upToDate(managers(pool), 1)).containsOnlyKeys("users", "orders", "billing");

        // a new file in one module: that module is pending, the others stay up to date
        MigrationFolder.in(folder("orders"))
                .file("002_note.sql", "ALTER TABLE {{tables.orders}} ADD COLUMN note text;");
        assertThat(GRAPH.upToDate(managers(pool), 2)).containsOnlyKeys("users", "billing");
        assertThat(GRAPH.applyPending(managers(pool), 2))
                .extracting(MigrationResult::status)
                .containsExactly(
                        MigrationResult.Status.UP_TO_DATE,
                        MigrationResult.Status.APPLIED,
                        MigrationResult.Status.UP_TO_DATE);
    }

    @Test
    void aModuleWhoseFilesCannotBeReadStopsTheRunBeforeAnythingIsApplied(SharedPool pool) throws IOException {
        writeModules();
        MigrationFolder.in(folder("orders")).file("002_empty.sql", "   \n");
        MigrationException failure =
                catchThrowableOfType(MigrationException.class, () -> GRAPH.applyPending(managers(pool)));
        assertThat(failure.getMessage()).contains("'orders'").contains("002_empty.sql");
        assertThat(pool.manager(schema("users")).tableExists("users"))
                .as("users, before orders, was not applied either")
                .isFalse();
    }

    @Test
    void aFailingModuleKeepsTheModulesBeforeItAndLeavesTheOnesAfter(SharedPool pool) throws IOException {
        writeModules();
        MigrationFolder.in(folder("orders")).file("002_fails.sql", "SELECT 1 / 0;");
        MigrationException failure =
                catchThrowableOfType(MigrationException.class, () -> GRAPH.applyPending(managers(pool)));
        assertThat(failure.module()).isEqualTo("orders");
        assertThat(failure.getMessage()).contains("002_fails.sql");
        assertThat(pool.manager(schema("users")).tableExists("users")).isTrue();
        assertThat(pool.manager(schema("orders")).tableExists("orders"))
                .as("the failing module's run rolled back")
                .isFalse();
        assertThat(pool.manager(schema("billing")).tableExists("invoices"))
                .as("the module after it")
                .isFalse();
    }

    @Test
    void modulesWithoutAManagerAreLeftOutAndBadArgumentsAreRefused(SharedPool pool) throws IOException {
        writeModules();
        List<MigrationResult> results = GRAPH.applyPending(
                module -> module.equals("billing") ? null : managers(pool).apply(module));
        assertThat(results).extracting(MigrationResult::module).containsExactly("users", "orders");
        assertThatThrownBy(() -> GRAPH.applyPending(managers(pool), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallelism");
    }

    @Test
    void aCheckedExceptionThrownFromTheFunctionComesBackNamingItsModule(SharedPool pool) throws IOException {
        writeModules();
        MigrationException failure = catchThrowableOfType(
                MigrationException.class,
                () -> GRAPH.applyPending(module -> module.equals("orders")
                        ? ModuleGraphApplyTest.<MigrationManager, RuntimeException>sneakyThrow(
                                new IOException("disk gone"))
                        : managers(pool).apply(module)));
        assertThat(failure.module()).isEqualTo("orders");
        assertThat(failure).hasMessageContaining("disk gone").hasCauseInstanceOf(IOException.class);
        assertThat(pool.manager(schema("users")).tableExists("users")).isFalse();
    }

    @Test
    void classPathLocationsAreReadThroughTheCallersClassLoader(SharedPool pool) throws IOException {
        Path root = Files.createDirectories(dir.resolve("jar-root"));
        MigrationFolder.in(Files.createDirectories(root.resolve("db/only_here")))
                .file("001_t.sql", "CREATE TABLE {{tables.t}} (id int);");
        ModuleGraph graph = ModuleGraph.builder().module("only_here").build();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(loader);
            DatabaseManager db = pool.manager(schema("only_here"));
            Map<String, MigrationResult> upToDate = graph.upToDate(
                    module -> MigrationManager.of(db, "classpath:db/" + module, module), DEFAULT_THREADS);
            assertThat(upToDate).isEmpty();
            assertThat(graph.applyPending(module -> MigrationManager.of(db, "classpath:db/" + module, module)))
                    .extracting(MigrationResult::status)
                    .containsExactly(MigrationResult.Status.APPLIED);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    private static final int DEFAULT_THREADS = ModuleGraph.DEFAULT_PARALLELISM;

    @SuppressWarnings("unchecked")
    private static <T, E extends Throwable> T sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
