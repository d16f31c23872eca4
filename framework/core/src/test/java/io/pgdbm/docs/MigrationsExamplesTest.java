package io.pgdbm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationPlan;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.migrations.MigrationStatus;
import io.pgdbm.migrations.ModuleGraph;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples of docs/migrations.md, run against a real server. */
@ExtendWith(PostgresExtension.class)
class MigrationsExamplesTest {

    @Test
    void applyStatusAndPlan(SharedPool pool) {
        // tag::apply[]
        DatabaseManager db = pool.manager("notes");
        MigrationManager migrations = MigrationManager.of(db, "classpath:db/notes", "notes");

        MigrationPlan plan = migrations.plan(); // dry run: files and their rendered SQL
        plan.steps().forEach(step -> System.out.println(step.file() + ":\n" + step.sql()));

        MigrationResult result = migrations.applyPending(); // APPLIED, UP_TO_DATE or NO_MIGRATIONS
        MigrationStatus status = migrations.status(); // applied / pending / changed / failed / missing
        String history = migrations.historyTable(); // "notes_schema_history", in schema notes
        // end::apply[]
        assertThat(plan.steps()).extracting(MigrationPlan.Step::file).containsExactly("001_initial.sql");
        assertThat(plan.steps().get(0).sql()).contains("CREATE TABLE \"notes\".notes");
        assertThat(result.status()).isEqualTo(MigrationResult.Status.APPLIED);
        assertThat(status.upToDate()).isTrue();
        assertThat(history).isEqualTo("notes_schema_history");
        assertThat(migrations.applyPending().status()).isEqualTo(MigrationResult.Status.UP_TO_DATE);
    }

    @Test
    void moduleOrder() {
        // tag::module-graph[]
        ModuleGraph modules = ModuleGraph.builder()
                .module("billing", "orders")
                .module("orders", "users")
                .module("users")
                .build();
        List<String> order = modules.order(); // [users, orders, billing]
        List<String> forOrders = modules.orderFor("orders"); // [users, orders]
        // end::module-graph[]
        assertThat(order).containsExactly("users", "orders", "billing");
        assertThat(forOrders).containsExactly("users", "orders");
    }

    @Test
    void applyAModuleGraph(SharedPool pool) {
        ModuleGraph modules = ModuleGraph.builder()
                .module("notes")
                .module("cp_module", "notes")
                .build();
        // tag::module-graph-apply[]
        List<MigrationResult> results = modules.applyPending(
                module -> MigrationManager.of(pool.manager("app_" + module), "classpath:db/" + module, module));
        // end::module-graph-apply[]
        assertThat(results).extracting(MigrationResult::module).containsExactly("notes", "cp_module");
        assertThat(results).extracting(MigrationResult::status).containsOnly(MigrationResult.Status.APPLIED);
        assertThat(modules.applyPending(
                        module -> MigrationManager.of(pool.manager("app_" + module), "classpath:db/" + module, module)))
                .extracting(MigrationResult::status)
                .containsOnly(MigrationResult.Status.UP_TO_DATE);
    }
}
