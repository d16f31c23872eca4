package io.pgdbm.cli;

import io.pgdbm.PgdbmException;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.AppliedMigration;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.postgres.EmbeddedServer;
import io.pgdbm.postgres.PostgresServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgdbm dev …}: the development loop. */
@Command(
        name = "dev",
        description = "The development loop: a database ready to use (embedded when none is configured),"
                + " migrations applied as you write them, a reset, and the schemas' DDL.",
        subcommands = {
            DevCommand.Start.class,
            DevCommand.Watch.class,
            DevCommand.Reset.class,
            DevCommand.ExportSchema.class
        })
final class DevCommand extends GroupCommand {

    @Command(
            name = "start",
            description = "Create the database if needed and apply every module's migrations in dependency order."
                    + " With no database configured, start an embedded PostgreSQL (data kept in .pgdbm/dev-data),"
                    + " print its URL, and keep it running until Ctrl+C.")
    static final class Start extends BaseCommand {
        @Option(
                names = "--port",
                paramLabel = "PORT",
                defaultValue = "54329",
                description = "The embedded server's port (default ${DEFAULT-VALUE})")
        int port;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "The embedded server's data directory (default .pgdbm/dev-data beside pgdbm.toml)")
        Path dataDirectory;

        /** For tests: stop the embedded server once it is ready instead of waiting for Ctrl+C. */
        @Option(names = "--stop-when-ready", hidden = true)
        boolean stopWhenReady;

        @Override
        void run() throws InterruptedException {
            ProjectConfig project = root().project();
            if (Workspace.databaseConfigured(project, root().envOption(), root().environment())) {
                Workspace workspace = root().workspace();
                say("Starting development environment (" + workspace.environmentName() + ")");
                DbCommand.create(this, workspace.database());
                DbCommand.applyAll(this, workspace);
                say("✓ Development environment ready: " + workspace.database().describe());
                modules(project);
                return;
            }
            Path data = (dataDirectory != null
                            ? root().workingDirectory().resolve(dataDirectory)
                            : project.baseDirectory().resolve(".pgdbm").resolve("dev-data"))
                    .normalize();
            say("No database configured (pgdbm.toml environment, DATABASE_URL or PG* variables): starting an"
                    + " embedded PostgreSQL, data in " + data);
            EmbeddedServer server;
            try {
                server = PostgresServers.embedded()
                        .persistentDataDirectory(data)
                        .port(port)
                        .start();
            } catch (java.io.UncheckedIOException e) {
                throw new CliException(
                        ExitCodes.CONNECTION,
                        e.getMessage() + " (another server on port " + port + "? pass --port to use another)");
            }
            Thread stopper = new Thread(server::close, "pgdbm-dev-server-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                String url = server.url(databaseName(project));
                Map<String, String> environment = new HashMap<>(root().environment());
                environment.put("DATABASE_URL", url);
                Workspace workspace = Workspace.resolve(project, null, environment);
                DbCommand.create(this, workspace.database());
                DbCommand.applyAll(this, workspace);
                say("✓ Development database ready: " + url);
                modules(project);
                say("  Use it from another terminal: export DATABASE_URL=" + url);
                if (stopWhenReady) {
                    return;
                }
                say("  The server runs until you press Ctrl+C.");
                new CountDownLatch(1).await();
            } finally {
                if (stopWhenReady) {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                    server.close();
                }
            }
        }

        private void modules(ProjectConfig project) {
            if (!project.modules().isEmpty()) {
                say("  Modules: "
                        + String.join(", ", Workspace.layout(project).graph().order()));
            }
        }

        private static String databaseName(ProjectConfig project) {
            String name = project.projectName()
                    .or(() -> java.util.Optional.ofNullable(
                                    project.baseDirectory().getFileName())
                            .map(Path::toString))
                    .orElse("pgdbm_dev")
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9_]+", "_");
            if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
                name = "pgdbm_" + name;
            }
            return name.length() > 63 ? name.substring(0, 63) : name;
        }
    }

    @Command(
            name = "watch",
            description = "Apply new migrations as their files appear, every module in dependency order, until"
                    + " Ctrl+C. A failing file is reported once, and applied when it is fixed.")
    static final class Watch extends BaseCommand {
        @Option(
                names = {"-i", "--interval"},
                paramLabel = "SECONDS",
                defaultValue = "2",
                description = "How often to look (default ${DEFAULT-VALUE} s)")
        double interval;

        /** For tests: how many rounds to run (0: until interrupted). */
        @Option(names = "--rounds", hidden = true, defaultValue = "0")
        int rounds;

        @Override
        void run() {
            if (interval <= 0) {
                throw new CliException(ExitCodes.USAGE, "--interval must be positive");
            }
            Workspace workspace = root().workspace();
            List<ProjectConfig.Module> modules = workspace.modules(List.of(), false);
            if (modules.isEmpty()) {
                say("No modules configured.");
                return;
            }
            say("Watching the migrations of "
                    + String.join(
                            ", ",
                            modules.stream().map(ProjectConfig.Module::name).toList())
                    + " every " + format(interval) + " s (Ctrl+C to stop)");
            Map<String, MigrationManager> managers = new LinkedHashMap<>();
            Map<String, String> reported = new HashMap<>();
            try (SharedPool pool = open(workspace.sharedDatabase())) {
                for (int round = 1; rounds == 0 || round <= rounds; round++) {
                    for (ProjectConfig.Module module : modules) {
                        try {
                            MigrationManager migrations = managers.get(module.name());
                            if (migrations == null) {
                                migrations = workspace.migrations(pool, module);
                                managers.put(module.name(), migrations);
                            }
                            MigrationResult result = migrations.applyPending();
                            for (AppliedMigration applied : result.applied()) {
                                say("✓ " + module.name() + ": applied " + applied.file() + " ("
                                        + applied.duration().toMillis() + " ms)");
                            }
                            if (reported.remove(module.name()) != null
                                    && result.applied().isEmpty()) {
                                say("✓ " + module.name() + ": up to date again");
                            }
                        } catch (PgdbmException | CliException e) {
                            String message = Pgdbm.message(e);
                            if (!message.equals(reported.put(module.name(), message))) {
                                say("✗ " + module.name() + ": " + message);
                            }
                        }
                    }
                    if (rounds == 0 || round < rounds) {
                        try {
                            Thread.sleep((long) (interval * 1000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            say("✓ Stopped watching");
                            return;
                        }
                    }
                }
            }
        }

        private static String format(double seconds) {
            return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
        }
    }

    @Command(
            name = "reset",
            description =
                    "Drop the database, create it and apply every module's migrations (asks first unless" + " --yes).")
    static final class Reset extends DbCommand.Dropping {
        @Override
        void run() {
            Workspace workspace = root().workspace();
            confirmAndDrop(workspace.database(), "Reset database %s on %s (drop, create, migrate)? Every row is lost.");
            DbCommand.create(this, workspace.database());
            DbCommand.applyAll(this, workspace);
            say("✓ Development database reset: " + workspace.database().describe());
        }
    }

    @Command(
            name = "export-schema",
            description = "Write the DDL of the modules' schemas (or --schema ones): types, sequences, functions,"
                    + " tables, partitions, views, indexes, keys, triggers, policies and comments; no data.")
    static final class ExportSchema extends BaseCommand {
        @Option(
                names = {"-s", "--schema"},
                paramLabel = "SCHEMA",
                split = ",",
                description = "Export these schemas (default: every module's, in dependency order)")
        List<String> schemas;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                defaultValue = "schema.sql",
                description = "Where to write it (default ${DEFAULT-VALUE}; - for standard output)")
        String output;

        @Override
        void run() throws IOException, java.sql.SQLException {
            Workspace workspace = root().workspace();
            Set<String> chosen = new LinkedHashSet<>();
            Set<String> histories = new LinkedHashSet<>();
            for (ProjectConfig.Module module : workspace.modules(List.of(), false)) {
                chosen.add(workspace.schemaOf(module));
                histories.add(module.name() + "_schema_history");
            }
            if (schemas != null && !schemas.isEmpty()) {
                chosen.clear();
                for (String schema : schemas) {
                    chosen.add(io.pgdbm.internal.Identifiers.requireSchema("schema", schema.strip()));
                }
            } else if (chosen.isEmpty()) {
                chosen.add(workspace.defaultSchema());
            }
            String ddl;
            try (SharedPool pool = open(workspace.database());
                    java.sql.Connection connection = pool.acquire()) {
                ddl = new SchemaExport(connection, histories).export(new ArrayList<>(chosen));
            }
            if ("-".equals(output)) {
                out().print(ddl);
                out().flush();
                return;
            }
            Path file = root().workingDirectory().resolve(output).normalize();
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, ddl, StandardCharsets.UTF_8);
            long statements = ddl.lines().filter(line -> line.endsWith(";")).count();
            say("✓ Exported the DDL of " + String.join(", ", chosen) + " to "
                    + root().workingDirectory().relativize(file) + " (" + statements + " statements)");
        }
    }
}
