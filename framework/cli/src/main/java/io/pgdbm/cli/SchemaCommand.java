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
        description = "List, create and drop schemas.",
        subcommands = {SchemaCommand.ListSchemas.class, SchemaCommand.Create.class, SchemaCommand.Drop.class})
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

    @Command(name = "create", description = "Create a schema if it does not exist.")
    static final class Create extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run() {
            String schema = Identifiers.require("schema", name);
            try (SharedPool pool = open(root().workspace().database())) {
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
                names = {"-y", "--yes"},
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
}
