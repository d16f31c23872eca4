package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module that references another module's tables ({@code {{tables.accounts.accounts}}}, or the other
 * module's generated classes) reaches them wherever that module was deployed: the canonical schema is mapped
 * to the deployed one, for templates (queries and migrations) and for {@code dsl()} alike.
 */
@ExtendWith(PostgresExtension.class)
class ModuleReferencesTest {
    @TempDir
    Path dir;

    @Test
    void aDependencysCanonicalSchemaRendersWhereThatModuleWasDeployed(SharedPool pool) throws Exception {
        Path accounts = Files.createDirectories(dir.resolve("accounts"));
        Files.writeString(
                accounts.resolve("001_accounts.sql"),
                "CREATE TABLE {{tables.accounts}} (id bigint PRIMARY KEY, owner text NOT NULL);\n");
        Path ledger = Files.createDirectories(dir.resolve("ledger"));
        Files.writeString(ledger.resolve("001_entries.sql"), """
                CREATE TABLE {{tables.entries}} (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    -- another module's table, named by that module's canonical schema
                    account_id bigint NOT NULL REFERENCES {{tables.accounts.accounts}} (id),
                    amount numeric NOT NULL
                );
                """);
        for (String tenant : new String[] {"t1", "t2"}) {
            DatabaseManager accountsDb = pool.manager(tenant + "_accounts");
            MigrationManager.of(accountsDb, accounts, "accounts").applyPending();
            DatabaseManager ledgerDb =
                    pool.manager(tenant + "_ledger").withSchemaMapping("accounts", tenant + "_accounts");
            MigrationManager.of(ledgerDb, ledger, "ledger").applyPending();

            accountsDb.execute("INSERT INTO {{tables.accounts}} VALUES (1, $1)", tenant);
            ledgerDb.execute("INSERT INTO {{tables.entries}} (account_id, amount) VALUES (1, 10)");
            assertThat(ledgerDb.fetchValue(
                            String.class,
                            "SELECT a.owner FROM {{tables.entries}} e JOIN {{tables.accounts.accounts}} a"
                                    + " ON a.id = e.account_id"))
                    .as("the query reads this tenant's accounts")
                    .isEqualTo(tenant);
            assertThat(ledgerDb.dsl()
                            .select(DSL.field(DSL.name("owner"), String.class))
                            .from(DSL.table(DSL.name("accounts", "accounts")))
                            .fetchOne(0, String.class))
                    .as("dsl() maps the canonical schema the same way")
                    .isEqualTo(tenant);
            assertThat(ledgerDb.fetchValue(
                            String.class,
                            "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = $1::regclass"
                                    + " AND contype = 'f'",
                            tenant + "_ledger.entries"))
                    .as("the migration's foreign key points at this tenant's accounts")
                    .isEqualTo(tenant + "_accounts.accounts");
        }
        assertThat(pool.manager("plain").fetchValue(String.class, "SELECT '{{tables.accounts.accounts}}'"))
                .as("without a mapping the name is literal, as before")
                .isEqualTo("\"accounts\".accounts");
    }
}
