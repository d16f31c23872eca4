package io.pgdbm.cli;

import io.pgdbm.internal.Identifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgdbm generate …}: scaffolding. */
@Command(
        name = "generate",
        description =
                "Scaffold a dual-mode library module, a test of a module's migrations, or a commented" + " pgdbm.toml.",
        subcommands = {GenerateCommand.Library.class, GenerateCommand.Tests.class, GenerateCommand.Config.class})
final class GenerateCommand extends GroupCommand {
    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

    @Command(
            name = "library",
            description = "Scaffold a dual-mode Maven module: migrations, generated jOOQ classes, a module class"
                    + " that owns a pool or uses a host's manager, and tests of both modes.")
    static final class Library extends BaseCommand {
        @Parameters(
                paramLabel = "NAME",
                description = "The module name: lower case, digits, underscores (e.g. inventory)")
        String name;

        @Option(names = "--with-api", description = "Also an HTTP API (JDK HttpServer) over the module, with a test")
        boolean withApi;

        @Option(names = "--package", paramLabel = "PACKAGE", description = "Java package (default com.example.NAME)")
        String packageName;

        @Option(
                names = "--group-id",
                paramLabel = "GROUP",
                defaultValue = "com.example",
                description = "Maven groupId (default ${DEFAULT-VALUE})")
        String groupId;

        @Option(
                names = {"-o", "--output", "--path"},
                paramLabel = "DIR",
                description = "Where to create it (default ./NAME)")
        Path output;

        @Option(names = "--dual-mode", description = "Accepted for pgdbm compatibility: every library is dual-mode")
        boolean dualMode;

        @Override
        void run() throws IOException {
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw CliException.config("Library name '" + name + "': start with a lower-case letter; then"
                        + " lower-case letters, digits and underscores (it names the module, its schema and its"
                        + " history table)");
            }
            Identifiers.require("module name", name);
            String pkg = packageName != null ? packageName : "com.example." + name.replace("_", "");
            if (!PACKAGE.matcher(pkg).matches()) {
                throw CliException.config("Package '" + pkg + "' is not a valid lower-case Java package name");
            }
            if (!PACKAGE.matcher(groupId).matches()) {
                throw CliException.config("groupId '" + groupId + "' is not valid (e.g. com.example)");
            }
            Path directory = root().workingDirectory()
                    .resolve(output != null ? output : Path.of(name))
                    .normalize();
            if (Files.exists(directory)) {
                try (Stream<Path> entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        throw new CliException(
                                ExitCodes.FAILURE,
                                "Directory " + directory + " exists and is not"
                                        + " empty; choose another with --output");
                    }
                }
            }
            Scaffold scaffold = new Scaffold(name, pkg, groupId, Pgdbm.versions());
            for (var file : scaffold.files(withApi).entrySet()) {
                Path path = directory.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                if (file.getKey().equals("mvnw")) {
                    executable(path);
                }
                say("  created " + root().workingDirectory().relativize(path));
            }
            say("✓ Library " + name + " in " + directory);
            say("  Next: cd " + root().workingDirectory().relativize(directory) + " && ./mvnw verify"
                    + "   (mvnw.cmd on Windows; needs only a JDK 21+: the wrapper fetches Maven, codegen runs in the"
                    + " build, tests use an embedded PostgreSQL)");
        }
    }

    private static void executable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): mvnw.cmd is the one to run there
        }
    }

    @Command(
            name = "tests",
            description = "Write a JUnit test of a module's migrations (pgdbm-testing): they create the module's"
                    + " tables, re-run as a no-op, apply in another schema, and (with down files) roll back.")
    static final class Tests extends BaseCommand {
        private static final Pattern CREATE_TABLE = Pattern.compile(
                "(?i)CREATE\\s+(?:UNLOGGED\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\\{\\{\\s*tables\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
        private static final Pattern DROP_TABLE = Pattern.compile(
                "(?i)DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?\\{\\{\\s*tables\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
        private static final String RESOURCES = "src/main/resources/";

        @Option(
                names = {"-m", "--module"},
                paramLabel = "MODULE",
                description = "The module (default: the only one)")
        String module;

        @Option(names = "--package", paramLabel = "PACKAGE", description = "Java package (default com.example.MODULE)")
        String packageName;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "DIR",
                description = "Test sources directory (default: src/test/java of the module's Maven project)")
        Path output;

        @Option(names = "--force", description = "Overwrite an existing test")
        boolean force;

        @Override
        void run() throws IOException {
            Workspace workspace = Workspace.layout(root().project());
            ProjectConfig config = workspace.config();
            ProjectConfig.Module target = workspace.moduleOrOnly(module);
            String moduleName = target.name();
            String pkg = packageName != null ? packageName : "com.example." + moduleName.replace("_", "");
            if (!PACKAGE.matcher(pkg).matches()) {
                throw CliException.config("Package '" + pkg + "' is not a valid lower-case Java package name");
            }
            Location location = locate(config, target);
            StringBuilder dependencies = new StringBuilder();
            for (String dependency : workspace.graph().orderFor(moduleName)) {
                if (!dependency.equals(moduleName)) {
                    ProjectConfig.Module other = workspace.module(dependency);
                    dependencies
                            .append("@Migrations(location = \"")
                            .append(locate(config, other).location())
                            .append("\", module = \"")
                            .append(dependency)
                            .append("\", schema = \"")
                            .append(workspace.schemaOf(other))
                            .append("\")\n");
                }
            }
            List<String> tables = tables(location.directory());
            String schema = workspace.schemaOf(target);
            String name = Scaffold.className(moduleName);
            String test = Scaffold.template("tests/MigrationsTest.java")
                    .replace("@rollback@", rollback(location.directory(), tables))
                    .replace("@package@", pkg)
                    .replace("@dependencies@", dependencies)
                    .replace("@location@", location.location())
                    .replace("@module@", moduleName)
                    .replace("@schema@", schema)
                    .replace("@Name@", name)
                    .replace("@tables@", assertions(tables, "db", true, moduleName))
                    .replace("@tablesElsewhere@", assertions(tables, "elsewhere", true, moduleName));
            Path sources = output != null
                    ? root().workingDirectory().resolve(output)
                    : location.project().resolve("src/test/java");
            Path file = sources.resolve(pkg.replace('.', '/'))
                    .resolve(name + "MigrationsTest.java")
                    .normalize();
            if (Files.exists(file) && !force) {
                throw new CliException(ExitCodes.FAILURE, file + " exists; pass --force to overwrite it");
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, test);
            say("✓ Wrote " + root().workingDirectory().relativize(file) + " (" + tables.size() + " table(s) checked)");
            say("  It needs the test dependencies io.pgdbm:pgdbm-testing, org.junit.jupiter:junit-jupiter and"
                    + " org.assertj:assertj-core; run it with ./mvnw test");
        }

        /** Where a module's migrations are, for a test: its Maven project, and the location to load them from. */
        record Location(Path project, String location, Path directory) {}

        private static Location locate(ProjectConfig config, ProjectConfig.Module module) {
            String path = module.migrationsPath();
            if (path.startsWith("classpath:")) {
                return new Location(config.baseDirectory(), path, null);
            }
            Path directory = config.baseDirectory().resolve(path).normalize();
            String unix = path.replace('\\', '/');
            int resources = unix.indexOf(RESOURCES);
            if (resources >= 0 && (resources == 0 || unix.charAt(resources - 1) == '/')) {
                Path project = config.baseDirectory().resolve(resources == 0 ? "." : unix.substring(0, resources));
                return new Location(
                        project.normalize(), "classpath:" + unix.substring(resources + RESOURCES.length()), directory);
            }
            return new Location(config.baseDirectory(), unix, directory);
        }

        /** The tables the migrations create and do not drop again, in the order they are created. */
        private static List<String> tables(Path directory) throws IOException {
            java.util.LinkedHashSet<String> tables = new java.util.LinkedHashSet<>();
            if (directory == null || !Files.isDirectory(directory)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.sorted().toList()) {
                    String fileName = file.getFileName().toString();
                    if (!fileName.endsWith(".sql") || fileName.endsWith(".down.sql") || fileName.startsWith(".")) {
                        continue;
                    }
                    String sql = Files.readString(file);
                    var created = CREATE_TABLE.matcher(sql);
                    while (created.find()) {
                        tables.add(created.group(1));
                    }
                    var dropped = DROP_TABLE.matcher(sql);
                    while (dropped.find()) {
                        tables.remove(dropped.group(1));
                    }
                }
            }
            return List.copyOf(tables);
        }

        private static String assertions(List<String> tables, String manager, boolean exist, String module) {
            if (tables.isEmpty()) {
                return "        assertThat(MigrationManager.of(" + manager + ", MIGRATIONS, \"" + module
                        + "\").status().pending()).isEmpty();";
            }
            StringBuilder lines = new StringBuilder();
            for (String table : tables) {
                lines.append(lines.isEmpty() ? "" : "\n")
                        .append("        assertThat(")
                        .append(manager)
                        .append(".tableExists(\"")
                        .append(table)
                        .append("\")).as(\"")
                        .append(table)
                        .append("\").")
                        .append(exist ? "isTrue();" : "isFalse();");
            }
            return lines.toString();
        }

        /** A rollback test when every numbered migration has a down file. */
        private static String rollback(Path directory, List<String> tables) throws IOException {
            if (directory == null || !Files.isDirectory(directory)) {
                return "";
            }
            java.util.Set<String> names;
            try (Stream<Path> files = Files.list(directory)) {
                names = files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
            }
            List<String> numbered = names.stream()
                    .filter(n -> n.matches("\\d+_.*\\.sql") && !n.endsWith(".down.sql"))
                    .toList();
            boolean allDown = !numbered.isEmpty()
                    && numbered.stream()
                            .allMatch(n -> names.contains(n.substring(0, n.length() - ".sql".length()) + ".down.sql"));
            if (!allDown) {
                return "";
            }
            return "\n    @Test\n"
                    + "    void theDownFilesUndoEveryMigrationAndTheyApplyAgain() {\n"
                    + "        MigrationManager migrations = MigrationManager.of(db, MIGRATIONS, \"" + "@module@"
                    + "\");\n"
                    + "        migrations.rollback(\"0\");\n"
                    + assertions(tables, "db", false, "@module@")
                            .replace("status().pending()).isEmpty()", "status().applied()).isEmpty()")
                    + "\n        assertThat(migrations.applyPending().status()).isEqualTo(MigrationResult.Status.APPLIED);\n"
                    + "    }\n";
        }
    }

    @Command(name = "config", description = "Write a commented pgdbm.toml.")
    static final class Config extends BaseCommand {
        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                defaultValue = "pgdbm.toml",
                description = "Where (default ${DEFAULT-VALUE})")
        Path output;

        @Option(names = "--force", description = "Overwrite an existing file")
        boolean force;

        @Option(names = "--name", paramLabel = "NAME", description = "The project's name (default: the directory's)")
        String name;

        @Override
        void run() throws IOException {
            Path file = root().workingDirectory().resolve(output).normalize();
            if (Files.exists(file) && !force) {
                throw new CliException(ExitCodes.FAILURE, file + " exists; pass --force to overwrite it");
            }
            String directoryName = root().workingDirectory().getFileName() == null
                    ? "my_project"
                    : root().workingDirectory().getFileName().toString();
            String project = (name != null ? name : directoryName)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9_]+", "_");
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Scaffold.config(project));
            say("✓ Wrote " + root().workingDirectory().relativize(file) + " (edit the environments and modules,"
                    + " then: pgdbm db create && pgdbm migrate apply)");
        }
    }
}
