package io.pgdbm.cli;

import io.pgdbm.internal.Identifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgdbm generate …}: scaffolding. */
@Command(
        name = "generate",
        description = "Scaffold a dual-mode library module, or write a commented pgdbm.toml.",
        subcommands = {GenerateCommand.Library.class, GenerateCommand.Config.class})
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
                names = {"-o", "--output"},
                paramLabel = "DIR",
                description = "Where to create it (default ./NAME)")
        Path output;

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
                say("  created " + root().workingDirectory().relativize(path));
            }
            say("✓ Library " + name + " in " + directory);
            say("  Next: cd " + root().workingDirectory().relativize(directory) + " && mvn verify"
                    + "   (codegen runs in the build; tests use an embedded PostgreSQL)");
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

        @Override
        void run() throws IOException {
            Path file = root().workingDirectory().resolve(output).normalize();
            if (Files.exists(file) && !force) {
                throw new CliException(ExitCodes.FAILURE, file + " exists; pass --force to overwrite it");
            }
            String project = root().workingDirectory().getFileName() == null
                    ? "my_project"
                    : root().workingDirectory()
                            .getFileName()
                            .toString()
                            .toLowerCase(Locale.ROOT)
                            .replaceAll("[^a-z0-9_]+", "_");
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Scaffold.config(project));
            say("✓ Wrote " + root().workingDirectory().relativize(file) + " (edit the environments and modules,"
                    + " then: pgdbm db create && pgdbm migrate apply)");
        }
    }
}
