package io.pgdbm.cli;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.internal.Identifiers;
import java.util.Locale;
import org.jooq.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgdbm schema …}. */
@Command(
        name = "schema",
        description = "List, create and drop schemas; show the module graph; clean up schemas no module owns.",
        subcommands = {
            SchemaCommand.ListSchemas.class,
            SchemaCommand.Create.class,
            SchemaCommand.Drop.class,
            SchemaCommand.Deps.class,
            SchemaCommand.Clean.class
        })
final class SchemaCommand extends GroupCommand {

    @Command(name = "list", description = "Schemas with their tables and pgdbm histories.")
    static final class ListSchemas extends BaseCommand {
        @Override
        void run() {
            try (SharedPool pool = open(root().workspace().database())) {
                for (Record row : pool.manager().fetchAll("""
                        SELECT n.nspname::text AS name, r.rolname::text AS owner,
                               (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p')) AS tables,
                               (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
                                 WHERE c.relnamespace = n.oid AND c.relkind = 'r' AND c.relname LIKE '%\\_schema\\_history') AS histories
                        FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
                        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                        ORDER BY n.nspname""")) {
                    String histories = row.get("histories", String.class);
                    say(String.format(
                            Locale.ROOT,
                            "%-30s %3d table(s)  owner %s%s",
                            row.get("name", String.class),
                            row.get("tables", Long.class),
                            row.get("owner", String.class),
                            histories == null ? "" : "  migrations: " + histories));
                }
            }
        }
    }

    @Command(name = "create", description = "Create a schema if it does not exist: NAME, or a module's (--module).")
    static final class Create extends BaseCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The schema")
        String name;

        @Option(
                names = {"-m", "--module"},
                paramLabel = "MODULE",
                description = "The schema of this module (its own, else the environment's)")
        String module;

        @Option(names = "--name", paramLabel = "NAME", description = "The schema (as NAME)")
        String nameOption;

        @Override
        void run() {
            String given = name != null ? name : nameOption;
            if (given == null && module == null) {
                throw new CliException(ExitCodes.USAGE, "Which schema? Give its NAME, or --module MODULE");
            }
            if (given != null && module != null) {
                throw new CliException(ExitCodes.USAGE, "Give a schema NAME or --module, not both");
            }
            Workspace workspace = root().workspace();
            String schema = Identifiers.requireSchema(
                    "schema", given != null ? given : workspace.schemaOf(workspace.module(module)));
            try (SharedPool pool = open(workspace.database())) {
                pool.manager().execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
            }
            say("✓ Schema " + schema + " exists");
        }
    }

    @Command(name = "drop", description = "Drop a schema and everything in it (asks first unless --yes).")
    static final class Drop extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = {"-y", "--yes", "--confirm"},
                description = "Do not ask")
        boolean yes;

        @Override
        void run() {
            String schema = Identifiers.require("schema", name);
            if (schema.equals("public") || schema.startsWith("pg_") || schema.equals("information_schema")) {
                throw CliException.config("Refusing to drop the " + schema + " schema");
            }
            try (SharedPool pool = open(root().workspace().database())) {
                DatabaseManager db = pool.manager();
                if (!db.fetchValue(
                        Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema)) {
                    say("Schema " + schema + " does not exist");
                    return;
                }
                root().confirm(out(), "Drop schema " + schema + " and everything in it?", schema, yes);
                db.execute("DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE");
            }
            say("✓ Dropped schema " + schema);
        }
    }

    @Command(
            name = "deps",
            description = "The module graph: the order modules migrate in, what each depends on and what needs it.")
    static final class Deps extends BaseCommand {
        @Option(
                names = {"-m", "--module"},
                paramLabel = "MODULE",
                description = "Only this module: what it depends on (directly and through others) and what needs it")
        String module;

        @Override
        void run() {
            Workspace workspace = Workspace.layout(root().project());
            java.util.List<String> order = workspace.graph().order();
            if (order.isEmpty()) {
                say("No modules configured.");
                return;
            }
            if (module == null) {
                say("Migration order: " + String.join(" → ", order));
                int width = order.stream().mapToInt(String::length).max().orElse(0);
                for (String name : order) {
                    ProjectConfig.Module each = workspace.module(name);
                    say(String.format(
                            Locale.ROOT,
                            "  %-" + width + "s  schema %-20s depends on: %s",
                            name,
                            each.schema().orElse("(the environment's)"),
                            each.dependsOn().isEmpty() ? "—" : String.join(", ", each.dependsOn())));
                }
                return;
            }
            ProjectConfig.Module target = workspace.module(module);
            java.util.List<String> before =
                    new java.util.ArrayList<>(workspace.graph().orderFor(module));
            before.remove(module);
            java.util.List<String> needing = order.stream()
                    .filter(other -> !other.equals(module)
                            && workspace.graph().orderFor(other).contains(module))
                    .toList();
            say(module + " (schema " + target.schema().orElse("(the environment's)") + ")");
            say("  depends on directly: "
                    + (target.dependsOn().isEmpty() ? "—" : String.join(", ", target.dependsOn())));
            say("  migrates after:      " + (before.isEmpty() ? "—" : String.join(" → ", before)));
            say("  needed by:           " + (needing.isEmpty() ? "—" : String.join(", ", needing)));
        }
    }

    @Command(
            name = "clean",
            description = "Drop schemas no module or tenant owns (a dry run that lists them unless --yes).")
    static final class Clean extends BaseCommand {
        @Option(
                names = {"-y", "--yes", "--confirm"},
                description = "Drop them (without this, only list them)")
        boolean yes;

        @Option(names = "--dry-run", description = "Only list them (the default)")
        boolean dryRun;

        @Override
        void run() {
            Workspace workspace = root().workspace();
            java.util.Set<String> moduleSchemas = new java.util.TreeSet<>();
            java.util.Set<String> histories = new java.util.TreeSet<>();
            for (ProjectConfig.Module each : workspace.config().modules().values()) {
                moduleSchemas.add(workspace.schemaOf(each));
                histories.add(each.name() + "_schema_history");
            }
            try (SharedPool pool = open(workspace.database())) {
                DatabaseManager db = pool.manager();
                java.util.List<String> unowned = new java.util.ArrayList<>();
                for (Record row : db.fetchAll("""
                        SELECT n.nspname::text AS name,
                               ARRAY(SELECT c.relname::text FROM pg_class c WHERE c.relnamespace = n.oid
                                     AND c.relkind = 'r' AND c.relname LIKE '%\\_schema\\_history') AS histories,
                               (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid) AS objects
                        FROM pg_namespace n
                        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                          AND n.nspname <> 'public'
                          AND NOT EXISTS (SELECT 1 FROM pg_extension e WHERE e.extnamespace = n.oid)
                        ORDER BY n.nspname""")) {
                    String schema = row.get("name", String.class);
                    String[] schemaHistories = row.get("histories", String[].class);
                    boolean tenant = java.util.Arrays.stream(schemaHistories).anyMatch(histories::contains);
                    if (moduleSchemas.contains(schema) || tenant) {
                        continue;
                    }
                    unowned.add(schema);
                    say((yes && !dryRun ? "- dropping " : "- would drop ") + schema + " ("
                            + row.get("objects", Long.class) + " object(s)"
                            + (schemaHistories.length == 0
                                    ? ""
                                    : ", histories of unknown modules: " + String.join(", ", schemaHistories))
                            + ")");
                }
                if (unowned.isEmpty()) {
                    say("✓ Every schema belongs to a module or a tenant of one; nothing to clean");
                    return;
                }
                if (!yes || dryRun) {
                    say(unowned.size() + " schema(s) no module or tenant owns. Nothing was dropped: run"
                            + " `pgdbm schema clean --yes` to drop them.");
                    return;
                }
                for (String schema : unowned) {
                    db.execute("DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE");
                }
                say("✓ Dropped " + unowned.size() + " schema(s): " + String.join(", ", unowned));
            }
        }
    }
}
