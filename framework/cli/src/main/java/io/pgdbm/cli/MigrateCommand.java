package io.pgdbm.cli;

import io.pgdbm.SharedPool;
import io.pgdbm.migrations.AppliedMigration;
import io.pgdbm.migrations.MigrationInfo;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.MigrationPlan;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.migrations.MigrationStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgdbm migrate …}. */
@Command(
        name = "migrate",
        description = "Apply, inspect, check, create, repair and roll back migrations, per module.",
        subcommands = {
            MigrateCommand.Apply.class,
            MigrateCommand.Status.class,
            MigrateCommand.Validate.class,
            MigrateCommand.Create.class,
            MigrateCommand.Repair.class,
            MigrateCommand.Rollback.class
        })
final class MigrateCommand extends GroupCommand {

    /** {@code --module M…} or {@code --all} (the default), and {@code --only}. */
    static final class Selection {
        @ArgGroup(exclusive = true)
        Which which;

        @Option(names = "--only", description = "With --module: leave its dependencies out")
        boolean only;

        static final class Which {
            @Option(
                    names = {"-m", "--module"},
                    paramLabel = "MODULE",
                    split = ",",
                    description = "These modules (and the modules they depend on, unless --only)")
            List<String> modules;

            @Option(
                    names = {"--all", "--all-modules"},
                    description = "Every module (the default)")
            boolean all;
        }

        List<String> names() {
            return which == null || which.modules == null ? List.of() : which.modules;
        }
    }

    /** Runs {@code work} for each selected module on one shared pool, printing the resolved order first. */
    abstract static class PerModule extends BaseCommand {
        @picocli.CommandLine.Mixin
        Selection selection = new Selection();

        interface Work {
            void run(ProjectConfig.Module module, MigrationManager migrations);
        }

        void forEachModule(Work work) {
            Workspace workspace = root().workspace();
            if (selection.only && selection.names().isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "--only needs --module");
            }
            List<ProjectConfig.Module> modules = workspace.modules(selection.names(), selection.only);
            if (modules.isEmpty()) {
                say("No modules configured.");
                return;
            }
            workspace
                    .config()
                    .migrationsTable()
                    .ifPresent(table -> say("Note: [database] migrations_table = \"" + table
                            + "\" is not used: each module keeps its own history table (<module>_schema_history)."));
            if (modules.size() > 1) {
                say("Resolved module order: "
                        + String.join(
                                " → ",
                                modules.stream().map(ProjectConfig.Module::name).toList()));
            }
            try (SharedPool pool = open(modules.size() > 1 ? workspace.sharedDatabase() : workspace.database())) {
                for (ProjectConfig.Module module : modules) {
                    work.run(module, workspace.migrations(pool, module));
                }
            }
        }
    }

    @Command(name = "apply", description = "Apply pending migrations, modules in dependency order.")
    static final class Apply extends PerModule {
        @Option(names = "--dry-run", description = "Show what would run (with --verbose, the SQL); change nothing")
        boolean dryRun;

        @Override
        void run() {
            forEachModule((module, migrations) -> {
                String label = module.name() + " (schema " + migrations.schema() + ")";
                if (dryRun) {
                    MigrationPlan plan = migrations.plan();
                    if (plan.steps().isEmpty()) {
                        say("✓ " + label + ": up to date, nothing would run");
                    }
                    for (MigrationPlan.Step step : plan.steps()) {
                        say("→ " + module.name() + ": would apply " + step.file()
                                + (step.transactional() ? "" : " (outside a transaction)"));
                        if (root().verbose()) {
                            say(step.sql().strip().indent(4).stripTrailing());
                        }
                    }
                    return;
                }
                say("… " + label + ": applying");
                apply(this, module, migrations);
            });
        }
    }

    /** Applies one module's pending migrations, a line per file applied (or one saying it is up to date). */
    static MigrationResult apply(BaseCommand command, ProjectConfig.Module module, MigrationManager migrations) {
        MigrationResult result = migrations.applyPending();
        switch (result.status()) {
            case UP_TO_DATE -> command.say("✓ " + module.name() + ": up to date");
            case NO_MIGRATIONS -> command.say("✓ " + module.name() + ": no migrations");
            case APPLIED -> {
                for (AppliedMigration applied : result.applied()) {
                    command.say("✓ " + module.name() + ": " + applied.file() + " ("
                            + applied.duration().toMillis() + " ms)");
                }
            }
        }
        return result;
    }

    @Command(name = "status", description = "Show each migration: applied, pending, changed, failed or missing.")
    static final class Status extends PerModule {
        @Option(names = "--json", description = "Print JSON")
        boolean json;

        @Override
        void run() {
            List<MigrationStatus> all = new ArrayList<>();
            if (json) {
                // collect quietly, print once
                Workspace workspace = root().workspace();
                List<ProjectConfig.Module> modules = workspace.modules(selection.names(), selection.only);
                try (SharedPool pool = open(modules.size() > 1 ? workspace.sharedDatabase() : workspace.database())) {
                    for (ProjectConfig.Module module : modules) {
                        all.add(workspace.migrations(pool, module).status());
                    }
                }
                say(Json.status(all));
                return;
            }
            forEachModule((module, migrations) -> {
                MigrationStatus status = migrations.status();
                say(module.name() + " (schema " + status.schema() + ", history " + status.historyTable() + "): "
                        + status.applied().size() + " applied, "
                        + status.pending().size() + " pending"
                        + problems(status));
                for (MigrationInfo info : status.migrations()) {
                    say(String.format(
                            Locale.ROOT,
                            "  %-8s %s%s",
                            info.state().name().toLowerCase(Locale.ROOT),
                            info.file(),
                            info.appliedAt().map(at -> "  (applied " + at + ")").orElse("")));
                }
            });
        }

        private static String problems(MigrationStatus status) {
            List<String> problems = new ArrayList<>();
            if (!status.changed().isEmpty()) {
                problems.add(status.changed().size() + " changed");
            }
            if (!status.failed().isEmpty()) {
                problems.add(status.failed().size() + " failed");
            }
            if (!status.missing().isEmpty()) {
                problems.add(status.missing().size() + " missing");
            }
            return problems.isEmpty() ? "" : ", " + String.join(", ", problems);
        }
    }

    @Command(name = "validate", description = "Check the history against the files (changed, missing, failed).")
    static final class Validate extends PerModule {
        @Override
        void run() {
            forEachModule((module, migrations) -> {
                migrations.validate();
                say("✓ " + module.name() + ": history matches the files");
            });
        }
    }

    @Command(
            name = "repair",
            description = "Accept the files as they are: remove failed entries, realign changed checksums.")
    static final class Repair extends PerModule {
        @Override
        void run() {
            forEachModule((module, migrations) -> {
                List<String> repaired = migrations.repair();
                say(
                        repaired.isEmpty()
                                ? "✓ " + module.name() + ": nothing to repair"
                                : "✓ " + module.name() + ": repaired " + String.join(", ", repaired));
            });
        }
    }

    @Command(
            name = "rollback",
            description = "Undo a module's migrations newer than a version, newest first, with their down files"
                    + " (NNN_name.down.sql beside NNN_name.sql; asks first unless --yes).")
    static final class Rollback extends BaseCommand {
        @Option(
                names = {"-m", "--module"},
                paramLabel = "MODULE",
                required = true,
                description = "The module to roll back")
        String module;

        @Option(
                names = "--version",
                paramLabel = "VERSION",
                required = true,
                description = "The last migration to keep, e.g. 2 or 002 (0 undoes every numbered migration)")
        String version;

        @Option(
                names = {"-y", "--yes", "--confirm"},
                description = "Do not ask")
        boolean yes;

        @Override
        void run() {
            Workspace workspace = root().workspace();
            ProjectConfig.Module target = workspace.module(module);
            String schema = workspace.schemaOf(target);
            root().confirm(
                            out(),
                            "Roll back module " + module + " in schema " + schema + " to version " + version
                                    + "? Its down files run, and may delete data.",
                            module,
                            yes);
            List<String> undone;
            try (SharedPool pool = open(workspace.database())) {
                try {
                    undone = workspace.migrations(pool, target).rollback(version);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.USAGE, e.getMessage());
                }
            }
            if (undone.isEmpty()) {
                say("✓ " + module + ": nothing applied after version " + version + ", nothing to roll back");
            }
            for (String file : undone) {
                say("✓ " + module + ": rolled back " + file);
            }
        }
    }

    @Command(name = "create", description = "Create the next migration file of a module (NNN_name.sql).")
    static final class Create extends BaseCommand {
        private static final Pattern NUMBERED = Pattern.compile("^(\\d+)_.*\\.sql$");
        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_]*");

        @Parameters(paramLabel = "NAME", description = "What the migration does, e.g. add_user_email")
        String name;

        @Option(
                names = {"-m", "--module"},
                paramLabel = "MODULE",
                description = "The module (default: the only one)")
        String module;

        @Option(
                names = "--path",
                paramLabel = "DIR",
                description = "Create the file in this directory instead of the module's migrations_path")
        Path path;

        @Option(names = "--sql", hidden = true, description = "Accepted for pgdbm compatibility: files are SQL")
        boolean sql;

        @Option(names = "--with-down", description = "Also write NNN_name.down.sql, which `migrate rollback` runs")
        boolean withDown;

        @Override
        void run() throws IOException {
            ProjectConfig config = root().project();
            if (path != null) {
                create(root().workingDirectory().resolve(path).normalize(), null);
                return;
            }
            ProjectConfig.Module target = Workspace.layout(config).moduleOrOnly(module);
            String moduleName = target.name();
            if (target.migrationsPath().startsWith("classpath:")) {
                throw CliException.config("Module '" + moduleName + "' reads its migrations from "
                        + target.migrationsPath() + "; set migrations_path to the source directory"
                        + " (e.g. src/main/resources/db/" + moduleName + ") to create files in it");
            }
            create(config.baseDirectory().resolve(target.migrationsPath()).normalize(), config.baseDirectory());
        }

        /** Writes the next numbered file in {@code directory}; paths are shown relative to {@code base}. */
        private void create(Path directory, Path base) throws IOException {
            String slug = name.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
            if (!NAME.matcher(slug).matches()) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "Migration name '" + name + "': use letters, digits and" + " underscores, e.g. add_user_email");
            }
            Files.createDirectories(directory);
            int next = 1;
            int width = 3;
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Matcher m = NUMBERED.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
                        width = Math.max(width, m.group(1).length());
                    }
                }
            }
            Path file = directory.resolve(String.format(Locale.ROOT, "%0" + width + "d_%s.sql", next, slug));
            Files.writeString(
                    file,
                    "-- " + slug.replace('_', ' ') + "\n"
                            + "-- Write schema-free SQL: {{tables.name}} and {{schema}} are filled in for the module's"
                            + " schema.\n\n",
                    java.nio.file.StandardOpenOption.CREATE_NEW);
            Path shownFrom = base == null ? root().workingDirectory() : base;
            say("Created " + shownFrom.relativize(file));
            if (withDown) {
                Path down = directory.resolve(String.format(Locale.ROOT, "%0" + width + "d_%s.down.sql", next, slug));
                Files.writeString(
                        down,
                        "-- Undoes " + file.getFileName() + " (run by: pgdbm migrate rollback --module <module>"
                                + " --version " + (next - 1) + ")\n\n",
                        java.nio.file.StandardOpenOption.CREATE_NEW);
                say("Created " + shownFrom.relativize(down));
            }
        }
    }
}
