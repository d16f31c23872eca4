package io.pgdbm.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.exception.DataAccessException;

/**
 * Explains the commonest typed-query mistake: generated classes used on a manager that does not map their
 * schema. The classes name the schema they were generated for ({@code notes}); without {@code forModule}
 * the query goes to that literal schema, and the server answers only {@code relation "notes.notes" does not
 * exist}. When a {@code dsl()} query fails that way on a schema this manager neither works in nor maps, the
 * error says so and names {@code forModule}.
 */
final class SchemaHintListener implements ExecuteListener {
    private static final long serialVersionUID = 1L;
    private static final Pattern MISSING_RELATION = Pattern.compile("relation \"([^\".]+)\\.([^\"]+)\" does not exist");
    private static final Pattern MISSING_SCHEMA = Pattern.compile("schema \"([^\"]+)\" does not exist");

    private final String schema;
    /** The schemas this manager renders generated classes of (RenderMapping inputs). */
    private final transient List<String> mapped;

    SchemaHintListener(String schema, List<String> mapped) {
        this.schema = schema;
        this.mapped = List.copyOf(mapped);
    }

    @Override
    public void exception(ExecuteContext ctx) {
        SQLException failure = ctx.sqlException();
        if (ctx.query() == null || failure == null || failure.getMessage() == null) {
            return;
        }
        String state = failure.getSQLState();
        if (!"42P01".equals(state) && !"3F000".equals(state)) {
            return;
        }
        Matcher relation = MISSING_RELATION.matcher(failure.getMessage());
        Matcher missingSchema = MISSING_SCHEMA.matcher(failure.getMessage());
        String named;
        String what;
        if (relation.find()) {
            named = relation.group(1);
            what = "Table " + named + "." + relation.group(2) + " does not exist";
        } else if (missingSchema.find()) {
            named = missingSchema.group(1);
            what = "Schema " + named + " does not exist";
        } else {
            return;
        }
        if (named.equals(schema) || mapped.contains(named)) {
            return; // the manager's own schema: a real missing table (migrations not applied?)
        }
        String manager = schema == null
                ? "this manager has no schema"
                : "this manager works in schema \"" + schema + "\" and "
                        + (mapped.isEmpty() ? "maps no generated schema onto it" : "maps only " + mapped + " onto it");
        ctx.exception(new DataAccessException(
                what + ": the query names schema \"" + named + "\" — the schema generated jOOQ classes were made for"
                        + " — but " + manager + ". Query through db.forModule(<Module>.INSTANCE).dsl() (the"
                        + " descriptor generated beside the classes, or forModule(\"" + named + "\")), which renders"
                        + " the generated classes into the manager's schema; see docs/typed-queries.md. Server: "
                        + Masking.scrub(failure.getMessage(), (String) null),
                failure));
    }
}
