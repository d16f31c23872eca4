package io.pgdbm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The Citus check flags a foreign key exactly when it is code (not a comment, string or function body) and
 * its table is in another schema — whatever the spelling of the schema, the clause and what lies between.
 */
class CitusCheckPropertyTest {
    private static TestDatabase database;

    /** Where the referenced table is, and how the migration names it. */
    enum Target {
        OWN_TEMPLATE("{{tables.plans}}", false),
        OWN_QUALIFIED_TEMPLATE("{{tables.tenant.plans}}", false),
        OWN_UNQUALIFIED("plans", false),
        OWN_QUOTED("\"tenant\".\"plans\"", false),
        OWN_UPPER("TENANT.PLANS", false),
        OTHER_TEMPLATE("{{tables.shared.plans}}", true),
        OTHER_QUALIFIED("billing.plans", true),
        OTHER_QUOTED("\"Billing\".plans", true),
        PUBLIC("public.plans", true),
        OTHER_SPACED("shared . plans", true);

        final String text;
        final boolean foreign;

        Target(String text, boolean foreign) {
            this.text = text;
            this.foreign = foreign;
        }
    }

    /** Where the clause sits: in code, or somewhere the server never reads it as a foreign key. */
    enum Place {
        COLUMN(true),
        TABLE_CONSTRAINT(true),
        ALTER(true),
        LINE_COMMENT(false),
        BLOCK_COMMENT(false),
        STRING(false),
        FUNCTION_BODY(false);

        final boolean code;

        Place(boolean code) {
            this.code = code;
        }
    }

    @BeforeContainer
    static void start() {
        database = TestDatabaseFactory.shared().create();
    }

    @AfterContainer
    static void stop() {
        database.close();
    }

    @Property(tries = 300)
    void aForeignKeyIsFlaggedExactlyWhenItIsCodeAndReachesAnotherSchema(
            @ForAll Target target, @ForAll Place place, @ForAll("keyword") String references, @ForAll("gap") String gap)
            throws Exception {
        String clause = references + gap + target.text + " (id)";
        String body = switch (place) {
            case COLUMN ->
                "CREATE TABLE {{tables.accounts}} (id bigint PRIMARY KEY,\n  plan_id bigint " + clause + ");";
            case TABLE_CONSTRAINT ->
                "CREATE TABLE {{tables.accounts}} (id bigint PRIMARY KEY, plan_id bigint,\n"
                        + "  FOREIGN KEY (plan_id) " + clause + ");";
            case ALTER -> "ALTER TABLE {{tables.accounts}}\n  ADD CONSTRAINT fk FOREIGN KEY (plan_id) " + clause + ";";
            case LINE_COMMENT -> "SELECT 1;\n-- used to say " + clause.replace("\n", " ");
            case BLOCK_COMMENT -> "SELECT 1;\n/* " + clause + " */";
            case STRING -> "COMMENT ON SCHEMA {{schema}} IS '\n" + clause.replace("'", "''") + "';";
            case FUNCTION_BODY ->
                "CREATE FUNCTION {{tables.f}}() RETURNS text LANGUAGE sql AS $body$\n  SELECT '"
                        + clause.replace("'", "''") + "'\n$body$;";
        };
        Path folder = Files.createTempDirectory("pgdbm-citus-check");
        try {
            Files.writeString(folder.resolve("001_start.sql"), "SELECT 1;\n\n" + body + "\n");
            Throwable thrown =
                    catchThrowable(() -> MigrationManager.of(database.pool().manager("tenant"), folder, "tenant")
                            .checkCitus());
            if (place.code && target.foreign) {
                assertThat(thrown).as(body).isInstanceOf(MigrationException.class);
                assertThat(thrown.getMessage())
                        .contains("001_start.sql:" + (body.indexOf(references) < body.indexOf('\n') ? 3 : 4));
            } else {
                assertThat(thrown).as(body).isNull();
            }
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<String> keyword() {
        return Arbitraries.of("REFERENCES", "references", "References", "rEfErEnCeS");
    }

    @Provide
    Arbitrary<String> gap() {
        return Combinators.combine(
                        Arbitraries.of(" ", "  ", "\t", " /* plan */ ", " -- plan\n  "), Arbitraries.of("", " "))
                .as((a, b) -> a + b);
    }
}
