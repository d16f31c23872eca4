package io.pgdbm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConfigurationException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.ErrorCode;
import io.pgdbm.IdentifierException;
import io.pgdbm.PgdbmException;
import io.pgdbm.PostgresExtension;
import io.pgdbm.SharedPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(PostgresExtension.class)
class IdentifiersTest {
    private static final String SIXTY_THREE = "a".repeat(63);

    @ParameterizedTest
    @ValueSource(strings = {"public", "my_schema", "_private", "CamelCase", "a1", "_"})
    void acceptsIdentifiersThatPostgresAcceptsUnquoted(String name, SharedPool pool) {
        assertThat(Identifiers.isValid(name)).isTrue();
        // The server agrees: a manager can create the schema and a table in it.
        DatabaseManager db = pool.manager(name);
        db.ensureSchema();
        db.execute("CREATE TABLE IF NOT EXISTS {{tables.probe}} (id int)");
        assertThat(db.tableExists("probe")).isTrue();
    }

    @Test
    void acceptsSixtyThreeCharactersWhichIsPostgresLimit(SharedPool pool) {
        DatabaseManager db = pool.manager(SIXTY_THREE);
        db.ensureSchema();
        String stored =
                db.fetchValue(String.class, "SELECT nspname::text FROM pg_namespace WHERE nspname = $1", SIXTY_THREE);
        assertThat(stored).isEqualTo(SIXTY_THREE);
    }

    @Test
    void rejectsSixtyFourCharactersBecausePostgresWouldTruncateThem() {
        assertThatThrownBy(() -> Identifiers.require("schema", "a".repeat(64)))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("64 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1abc", "ab\"c", "ab;c", "a b", "my-schema", "a--b", "a/*b", "", "a.b", "ä", "a'b", "x\ny"})
    void rejectsAnythingElseBeforeSqlIsBuilt(String name, SharedPool pool) {
        assertThatThrownBy(() -> Identifiers.require("schema", name))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("not a valid identifier");
        assertThatThrownBy(() -> pool.manager(name)).isInstanceOf(IdentifierException.class);
        if (!name.contains(".")) { // {{tables.a.b}} is the valid schema.table form
            assertThatThrownBy(() -> pool.manager("ok").execute("SELECT * FROM {{tables." + name + "}}"))
                    .isInstanceOf(IdentifierException.class);
        }
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> Identifiers.require("schema", "1abc")).hasMessageContaining("starts with a digit");
        assertThatThrownBy(() -> Identifiers.require("schema", "ab;c"))
                .hasMessageContaining("a semicolon at position 3");
        assertThatThrownBy(() -> Identifiers.require("schema", "my-schema")).hasMessageContaining("a hyphen");
        assertThatThrownBy(() -> Identifiers.require("schema", null)).hasMessageContaining("missing");
        assertThat(new IdentifierException("x").code()).isEqualTo(ErrorCode.IDENTIFIER);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "pg_temp",
                "pg_catalog",
                "pg_toast",
                "PG_temp_3",
                "pg_anything",
                "information_schema",
                "Information_Schema"
            })
    void schemasPostgresKeepsForItselfAreRefusedForManagersAndTenants(String name, SharedPool pool) {
        assertThatThrownBy(() -> pool.manager(name))
                .isInstanceOf(IdentifierException.class)
                .hasMessageContaining("keeps for itself");
        assertThatThrownBy(() -> io.pgdbm.migrations.SchemaProvisioner.of(pool, "classpath:db/none", "m")
                        .provision(java.util.List.of(name)))
                .isInstanceOf(PgdbmException.class);
        assertThatThrownBy(() -> DatabaseConfig.builder()
                        .url("postgresql://h/db")
                        .schema(name)
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keeps for itself");
        assertThatThrownBy(() -> pool.manager("fine").withSchemaMapping("users", name))
                .isInstanceOf(IdentifierException.class);
    }

    @Test
    void aReservedWordNamesATableThroughTemplatesWithAndWithoutASchema(SharedPool pool) {
        for (DatabaseManager db : java.util.List.of(pool.manager(), pool.manager("reserved_words"))) {
            db.ensureSchema();
            db.execute("CREATE TABLE IF NOT EXISTS {{tables.order}} (id int)");
            db.execute("INSERT INTO {{tables.order}} VALUES ($1)", 1);
            db.copyRecords("order", java.util.List.of("id"), java.util.List.of(java.util.List.of(2)));
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.order}}"))
                    .isEqualTo(2);
            assertThat(db.tableExists("order")).isTrue();
        }
    }
}
