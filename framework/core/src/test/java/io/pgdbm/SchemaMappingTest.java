package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import org.jooq.Field;
import org.jooq.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RenderMapping of canonical schemas onto runtime schemas, with jOOQ objects named as generated code names them. */
@ExtendWith(PostgresExtension.class)
class SchemaMappingTest {
    // What generated code for modules "users" and "orders" refers to: canonical schema-qualified names.
    static final Table<?> ACCOUNTS = table(name("users", "accounts"));
    static final Field<Long> ACCOUNT_ID = field(name("users", "accounts", "id"), Long.class);
    static final Field<String> EMAIL = field(name("users", "accounts", "email"), String.class);
    static final Table<?> ORDERS = table(name("orders", "orders"));
    static final Field<Long> ORDER_ACCOUNT = field(name("orders", "orders", "account_id"), Long.class);

    static final ModuleDescriptor USERS = ModuleDescriptor.of("users", "users", "classpath:db/users");
    static final ModuleDescriptor ORDERS_MODULE = ModuleDescriptor.of("orders", "orders", "classpath:db/orders");

    @BeforeAll
    static void tables(SharedPool pool) {
        for (String schema : new String[] {"users_eu", "users_us", "orders_eu"}) {
            pool.manager(schema).ensureSchema();
        }
        for (String schema : new String[] {"users_eu", "users_us"}) {
            pool.manager(schema).execute("CREATE TABLE {{tables.accounts}} (id bigint PRIMARY KEY, email text)");
            pool.manager(schema).execute("INSERT INTO {{tables.accounts}} VALUES (1, $1)", "ada@" + schema);
        }
        pool.manager("orders_eu").execute("CREATE TABLE {{tables.orders}} (id bigint, account_id bigint)");
        pool.manager("orders_eu").execute("INSERT INTO {{tables.orders}} VALUES (10, 1)");
    }

    @Test
    void generatedClassesUsedWithoutForModuleFailSayingSo(SharedPool pool) {
        DatabaseManager eu = pool.manager("users_eu");
        assertThatThrownBy(() -> eu.dsl().select(EMAIL).from(ACCOUNTS).fetch())
                .isInstanceOf(org.jooq.exception.DataAccessException.class)
                .hasMessageContaining("Table users.accounts does not exist")
                .hasMessageContaining("the query names schema \"users\"")
                .hasMessageContaining("this manager works in schema \"users_eu\" and maps no generated schema")
                .hasMessageContaining("forModule")
                .hasRootCauseInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> eu.forModule(ORDERS_MODULE)
                        .dsl()
                        .select(EMAIL)
                        .from(ACCOUNTS)
                        .fetch())
                .hasMessageContaining("maps only [orders] onto it");
        assertThat(eu.forModule(USERS).dsl().select(EMAIL).from(ACCOUNTS).fetch(EMAIL))
                .containsExactly("ada@users_eu");
        // a table missing from the manager's own schema is just that: no hint
        assertThatThrownBy(() ->
                        eu.dsl().selectFrom(table(name("users_eu", "nowhere"))).fetch())
                .hasMessageContaining("relation \"users_eu.nowhere\" does not exist")
                .hasMessageNotContaining("forModule");
    }

    @Test
    void unqualifiedNamesInDslRenderInTheManagersSchemaNeverAnother(SharedPool pool) {
        pool.manager().execute("CREATE TABLE IF NOT EXISTS public.accounts (id bigint, email text)");
        pool.manager().execute("INSERT INTO public.accounts VALUES (1, 'from public')");
        DatabaseManager eu = pool.manager("users_eu");
        Table<?> accounts = table(name("accounts"));
        Field<String> email = field(name("accounts", "email"), String.class);
        assertThat(eu.dsl().select(email).from(accounts).fetchOne(email)).isEqualTo("ada@users_eu");
        assertThat(eu.forModule(USERS).dsl().select(email).from(accounts).fetchOne(email))
                .isEqualTo("ada@users_eu");
        // an alias keeps its own name, and other schemas stay as written
        Table<?> aliased = accounts.as("a");
        assertThat(eu.dsl()
                        .select(field(name("a", "email"), String.class))
                        .from(aliased)
                        .fetchOne(0, String.class))
                .isEqualTo("ada@users_eu");
        assertThat(eu.dsl()
                        .select(field(name("public", "accounts", "email"), String.class))
                        .from(table(name("public", "accounts")))
                        .fetchOne(0, String.class))
                .isEqualTo("from public");
        // a manager without a schema leaves unqualified names to the configured search_path
        assertThat(pool.manager().dsl().select(email).from(accounts).fetchOne(email))
                .isEqualTo("from public");
        // generated classes of another module keep their mapping next to the default one
        DatabaseManager mapped = eu.withSchemaMapping("orders", "orders_eu");
        assertThat(mapped.dsl().render(mapped.dsl().select().from(ORDERS).crossJoin(accounts)))
                .contains("\"orders_eu\".\"orders\"")
                .contains("\"users_eu\".\"accounts\"");
    }

    @Test
    void forModuleRendersTheCanonicalSchemaAsTheManagersSchema(SharedPool pool) {
        DatabaseManager eu = pool.manager("users_eu").forModule(USERS);
        DatabaseManager us = pool.manager("users_us").forModule(USERS);
        assertThat(eu.dsl().render(eu.dsl().selectFrom(ACCOUNTS))).contains("\"users_eu\".\"accounts\"");
        assertThat(eu.dsl().select(EMAIL).from(ACCOUNTS).fetchOne(EMAIL)).isEqualTo("ada@users_eu");
        assertThat(us.dsl().select(EMAIL).from(ACCOUNTS).fetchOne(EMAIL)).isEqualTo("ada@users_us");
        assertThat(eu.schemaMappings()).containsExactly(java.util.Map.entry("users", "users_eu"));
        // the original manager is unchanged: one Configuration per manager, never mutated
        assertThat(pool.manager("users_eu").schemaMappings()).isEmpty();
    }

    @Test
    void otherModulesSchemasCanBeMappedForCrossModuleQueries(SharedPool pool) {
        // tag::cross-module[]
        DatabaseManager orders = pool.manager("orders_eu")
                .forModule(ORDERS_MODULE) // this module's own tables
                .withSchemaMapping(USERS.canonicalSchema(), "users_eu"); // where the users module lives here
        String email = orders.dsl()
                .select(EMAIL)
                .from(ORDERS)
                .join(ACCOUNTS)
                .on(ACCOUNT_ID.eq(ORDER_ACCOUNT))
                .fetchOne(EMAIL);
        // end::cross-module[]
        assertThat(email).isEqualTo("ada@users_eu");
    }

    @Test
    void transactionsKeepTheMapping(SharedPool pool) {
        DatabaseManager eu = pool.manager("users_eu").forModule(USERS);
        String email =
                eu.transactionResult(tx -> tx.dsl().select(EMAIL).from(ACCOUNTS).fetchOne(EMAIL));
        assertThat(email).isEqualTo("ada@users_eu");
    }

    @Test
    void namesAreValidatedAndASchemalessManagerCannotMapItself(SharedPool pool) {
        assertThatThrownBy(() -> pool.manager("users_eu").withSchemaMapping("users", "bad-schema"))
                .isInstanceOf(IdentifierException.class);
        assertThatThrownBy(() -> pool.manager().forModule(USERS))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("needs a manager with a schema");
    }
}
