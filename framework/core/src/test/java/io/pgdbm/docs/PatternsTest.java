package io.pgdbm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import io.pgdbm.TestDatabase;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's quickstart: each pattern, run against a real server. */
@ExtendWith(PostgresExtension.class)
class PatternsTest {

    @Test
    void standaloneService(TestDatabase database) {
        String url = database.url();
        // tag::standalone[]
        DatabaseConfig config = DatabaseConfig.builder()
                .url(url) // postgresql://user:password@host:5432/app, or DatabaseConfig.fromEnvironment()
                .schema("inventory")
                .maxConnections(10)
                .statementTimeout(Duration.ofSeconds(30))
                .build();
        try (DatabaseManager db = DatabaseManager.connect(config)) { // owns its pool, closes it
            MigrationManager.of(db, "classpath:db/notes", "inventory").applyPending();
            db.execute("INSERT INTO {{tables.notes}} (author, body) VALUES ($1, $2)", "ada", "hello");
            long count = db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}} WHERE author = $1", "ada");
            // end::standalone[]
            assertThat(count).isEqualTo(1L);
            assertThat(db.fetchValue(String.class, "SELECT body FROM {{tables.inventory.notes}}"))
                    .isEqualTo("hello");
            // tag::standalone[]
        }
        // end::standalone[]
    }

    @Test
    void dualModeLibraryInBothModes(TestDatabase database) {
        // tag::dual-mode-usage[]
        // Standalone: the library owns a pool.
        try (Notes notes = new Notes(database.url())) {
            notes.add("ada", "standalone note");
        }

        // Library mode: the host's shared pool, the schema the host chooses.
        try (SharedPool pool =
                SharedPool.create(DatabaseConfig.builder().url(database.url()).build())) {
            Notes notes = new Notes(pool.manager("team_notes"));
            notes.add("ada", "library note");
            notes.close(); // does not close the host's pool
            List<Notes.Note> found = notes.byAuthor("ada");
            // end::dual-mode-usage[]
            assertThat(found).extracting(Notes.Note::body).containsExactly("library note");
            assertThat(pool.isClosed()).isFalse();
            assertThat(pool.manager("notes").fetchValue(String.class, "SELECT body FROM {{tables.notes}}"))
                    .isEqualTo("standalone note");
            // tag::dual-mode-usage[]
        }
        // end::dual-mode-usage[]
    }

    @Test
    void sharedPoolModularMonolithAndTenants(TestDatabase database) {
        DatabaseConfig config =
                DatabaseConfig.builder().url(database.url()).maxConnections(12).build();
        // tag::shared-pool[]
        try (SharedPool pool = SharedPool.create(config)) { // one pool per database per process
            // Modules: each in its own schema, each running its own migrations.
            Notes support = new Notes(pool.manager("support"));
            Notes sales = new Notes(pool.manager("sales"));
            support.add("bob", "ticket 1");

            // Schema per tenant: provision many schemas with one module's migrations, in parallel.
            ProvisioningReport report = SchemaProvisioner.of(pool, "classpath:db/notes", "notes")
                    .parallelism(4)
                    .provision(List.of("tenant_1", "tenant_2", "tenant_3"));
            DatabaseManager tenant2 = pool.manager("tenant_2");
            tenant2.execute("INSERT INTO {{tables.notes}} (author, body) VALUES ($1, $2)", "eve", "only in tenant_2");
            // end::shared-pool[]
            assertThat(report.allSucceeded()).isTrue();
            assertThat(sales.byAuthor("bob")).isEmpty();
            assertThat(support.byAuthor("bob")).hasSize(1);
            assertThat(pool.manager("tenant_1").fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}"))
                    .isZero();
            assertThat(tenant2.fetchValue(Long.class, "SELECT count(*) FROM {{tables.notes}}"))
                    .isEqualTo(1L);
            // tag::shared-pool[]
        }
        // end::shared-pool[]
    }
}
