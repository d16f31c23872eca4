package io.pgdbm.cli;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.migrations.MigrationStatus;
import java.util.List;
import org.jooq.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgdbm db …}: the environment's database itself. */
@Command(
        name = "db",
        description = "Create, drop, reset and inspect the environment's database.",
        subcommands = {
            DbCommand.Create.class,
            DbCommand.Drop.class,
            DbCommand.Reset.class,
            DbCommand.Info.class,
            DbCommand.TestConnection.class
        })
final class DbCommand extends GroupCommand {

    /** The target database's name, validated. */
    static String target(DatabaseConfig config) {
        String name = config.database()
                .orElseThrow(() -> CliException.config("The connection names no database (" + config.describe()
                        + "): add one to the URL, e.g. postgresql://localhost:5432/app"));
        return Identifiers.require("database", name);
    }

    /** A connection to the server's {@code postgres} database, for creating and dropping the target. */
    static SharedPool maintenance(DatabaseConfig config) {
        return SharedPool.create(config.toBuilder()
                .database("postgres")
                .schema(null)
                .minConnections(0)
                .maxConnections(1)
                .build());
    }

    static boolean exists(DatabaseManager maintenance, String database) {
        return maintenance.fetchValue(
                Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", database);
    }

    static void create(BaseCommand command, DatabaseConfig config) {
        String database = target(config);
        try (SharedPool pool = maintenance(config)) {
            DatabaseManager admin = pool.manager();
            if (exists(admin, database)) {
                command.say("Database " + database + " already exists on " + config.hostsDescription());
                return;
            }
            admin.execute("CREATE DATABASE " + Identifiers.quote(database));
            command.say("✓ Created database " + database + " on " + config.hostsDescription());
        }
    }

    static void drop(BaseCommand command, DatabaseConfig config, boolean force) {
        String database = target(config);
        if (database.equals("postgres")) {
            throw CliException.config("Refusing to drop the server's maintenance database 'postgres'");
        }
        try (SharedPool pool = maintenance(config)) {
            DatabaseManager admin = pool.manager();
            if (!exists(admin, database)) {
                command.say("Database " + database + " does not exist on " + config.hostsDescription());
                return;
            }
            try {
                admin.execute("DROP DATABASE " + Identifiers.quote(database) + (force ? " WITH (FORCE)" : ""));
            } catch (io.pgdbm.QueryException e) {
                if ("55006".equals(e.sqlState().orElse(null))) {
                    throw new CliException(
                            ExitCodes.FAILURE,
                            "Database " + database + " is in use by other"
                                    + " sessions; stop them, or pass --force to disconnect them");
                }
                throw e;
            }
            command.say("✓ Dropped database " + database + " on " + config.hostsDescription());
        }
    }

    @Command(name = "create", description = "Create the database if it does not exist.")
    static final class Create extends BaseCommand {
        @Override
        void run() {
            create(this, root().workspace().database());
        }
    }

    /** Drop and reset: ask first (unless {@code --yes}), optionally disconnecting other sessions. */
    abstract static class Dropping extends BaseCommand {
        @Option(
                names = {"-y", "--yes", "--confirm"},
                description = "Do not ask")
        boolean yes;

        @Option(names = "--force", description = "Disconnect other sessions first")
        boolean force;

        /** Asks {@code question} (with the database and host filled in), then drops the database. */
        void confirmAndDrop(DatabaseConfig config, String question) {
            String database = target(config);
            root().confirm(out(), question.formatted(database, config.hostsDescription()), database, yes);
            drop(this, config, force);
        }
    }

    @Command(name = "drop", description = "Drop the database (asks first unless --yes).")
    static final class Drop extends Dropping {
        @Override
        void run() {
            confirmAndDrop(root().workspace().database(), "Drop database %s on %s and everything in it?");
        }
    }

    @Command(name = "reset", description = "Drop, create and migrate every module (asks first unless --yes).")
    static final class Reset extends Dropping {
        @Override
        void run() {
            Workspace workspace = root().workspace();
            confirmAndDrop(workspace.database(), "Reset database %s on %s (drop, create, migrate)?");
            create(this, workspace.database());
            applyAll(this, workspace);
        }
    }

    /** Applies every module's migrations, in dependency order, a line per module; returns the files applied. */
    static int applyAll(BaseCommand command, Workspace workspace) {
        List<ProjectConfig.Module> modules = workspace.modules(List.of(), false);
        int applied = 0;
        try (SharedPool pool =
                BaseCommand.open(modules.size() > 1 ? workspace.sharedDatabase() : workspace.database())) {
            for (ProjectConfig.Module module : modules) {
                if (workspace
                        .directoryOf(module)
                        .map(d -> !java.nio.file.Files.isDirectory(d))
                        .orElse(false)) {
                    command.say("- " + module.name() + ": no migrations directory, skipped");
                    continue;
                }
                var result = workspace.migrations(pool, module).applyPending();
                applied += result.applied().size();
                command.say("✓ " + module.name() + ": " + result.applied().size() + " migration(s) applied");
            }
        }
        return applied;
    }

    @Command(name = "info", description = "Server, database, size, and each module's migration status.")
    static final class Info extends BaseCommand {
        @Override
        void run() {
            Workspace workspace = root().workspace();
            DatabaseConfig config = workspace.database();
            say("Environment: " + workspace.environmentName());
            say("Connection:  " + config.describe());
            try (SharedPool pool = open(config)) {
                DatabaseManager db = pool.manager();
                Record info = db.fetchOne("""
                        SELECT current_setting('server_version') AS version, current_database() AS database,
                               current_user AS "user", pg_size_pretty(pg_database_size(current_database())) AS size,
                               (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS sessions
                        """).orElseThrow();
                say("Server:      PostgreSQL " + info.get("version", String.class));
                say("Database:    " + info.get("database", String.class) + " (" + info.get("size", String.class)
                        + ", " + info.get("sessions", Long.class) + " session(s)), user "
                        + info.get("user", String.class));
                List<ProjectConfig.Module> modules = workspace.modules(List.of(), false);
                if (modules.isEmpty()) {
                    return;
                }
                say("Modules:");
                for (ProjectConfig.Module module : modules) {
                    String line;
                    try {
                        MigrationStatus status =
                                workspace.migrations(pool, module).status();
                        line = status.applied().size() + " applied, "
                                + status.pending().size() + " pending";
                    } catch (CliException e) {
                        line = e.getMessage();
                    }
                    say("  " + module.name() + " (schema " + workspace.schemaOf(module) + "): " + line);
                }
            }
        }
    }

    @Command(name = "test-connection", description = "Connect, run one query, report the server and the latency.")
    static final class TestConnection extends BaseCommand {
        @Override
        void run() {
            DatabaseConfig config = root().workspace().database();
            long started = System.nanoTime();
            try (SharedPool pool = open(config)) {
                String version = pool.manager().fetchValue(String.class, "SELECT current_setting('server_version')");
                long millis = (System.nanoTime() - started) / 1_000_000;
                say("✓ Connected to " + config.describe() + ": PostgreSQL " + version + " (" + millis + " ms)");
            }
        }
    }
}
