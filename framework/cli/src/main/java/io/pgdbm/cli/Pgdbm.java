package io.pgdbm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code pgdbm} command: global options, subcommands, exit codes. */
@Command(
        name = "pgdbm",
        mixinStandardHelpOptions = true,
        versionProvider = Pgdbm.Version.class,
        description = "Migrations per module in dependency order, databases, schemas, scaffolding and codegen"
                + " for pgdbm projects.",
        subcommands = {
            MigrateCommand.class,
            TenantsCommand.class,
            DevCommand.class,
            DbCommand.class,
            SchemaCommand.class,
            GenerateCommand.class,
            CodegenCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Configuration: --config, else PGDBM_CONFIG, else ./pgdbm.toml if present, else DATABASE_URL and"
                    + " ./migrations.",
            "Exit codes: 0 ok, 1 failure, 2 usage, 3 configuration, 4 connection, 5 migration, 6 not confirmed."
        })
public final class Pgdbm {
    @Option(
            names = {"-c", "--config"},
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "pgdbm.toml to read (default: PGDBM_CONFIG, else ./pgdbm.toml)")
    Path config;

    @Option(
            names = {"-e", "--env"},
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            description = "Environment of pgdbm.toml to use (default: PGDBM_ENV, else [project] default_env)")
    String env;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Show libraries' logs, SQL of dry runs, and stack traces of errors")
    boolean verbose;

    private final Map<String, String> environment;
    private final BufferedReader input;
    private final boolean interactive;
    private final Path workingDirectory;

    /** As run from a terminal. */
    public Pgdbm() {
        this(
                System.getenv(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.console() != null,
                Path.of("").toAbsolutePath());
    }

    /**
     * For embedding and tests: the environment variables, where confirmations are read from, whether a person
     * is there to answer, and the directory relative paths start from.
     */
    public Pgdbm(Map<String, String> environment, BufferedReader input, boolean interactive, Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        this.input = input;
        this.interactive = interactive;
        this.workingDirectory = workingDirectory;
    }

    /** Loggers kept out of the output unless --verbose (simplelogger.properties turns them off). */
    private static final java.util.List<String> QUIET_LIBRARIES =
            java.util.List.of("org.flywaydb", "com.zaxxer.hikari", "io.zonky", "org.jooq", "org.testcontainers");

    public static void main(String[] args) {
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--verbose")) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
                for (String library : QUIET_LIBRARIES) {
                    System.setProperty("org.slf4j.simpleLogger.log." + library, "info");
                }
            }
        }
        int code = commandLine(new Pgdbm()).execute(args);
        System.exit(code);
    }

    /** The picocli command line of {@code pgdbm}, with its exception handling and exit codes. */
    public static CommandLine commandLine(Pgdbm pgdbm) {
        CommandLine line = new CommandLine(pgdbm);
        line.setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("pgdbm: " + message(failure));
            if (pgdbm.verbose) {
                StringWriter trace = new StringWriter();
                failure.printStackTrace(new PrintWriter(trace));
                err.print(trace);
            } else if (ExitCodes.of(failure) == ExitCodes.FAILURE && !(failure instanceof CliException)) {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return ExitCodes.of(failure);
        });
        line.setExitCodeExceptionMapper(ExitCodes::of);
        return line;
    }

    static String message(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        if (failure instanceof io.pgdbm.migrations.MigrationException migration && migration.module() != null) {
            // The library's advice names the Java method; on the command line, name the command.
            String command = "`pgdbm migrate repair --module " + migration.module() + "`";
            message = message.replace("call repair()", "run " + command).replace("repair()", command);
        }
        return message;
    }

    Map<String, String> environment() {
        return environment;
    }

    boolean verbose() {
        return verbose;
    }

    /** {@code --env}, or null. */
    String envOption() {
        return env;
    }

    /** The project configuration: --config, PGDBM_CONFIG, ./pgdbm.toml, or none. */
    ProjectConfig project() {
        Path file = config != null
                ? config
                : environment.containsKey("PGDBM_CONFIG") ? Path.of(environment.get("PGDBM_CONFIG")) : null;
        if (file != null) {
            return ConfigLoader.load(workingDirectory.resolve(file), environment);
        }
        Path local = workingDirectory.resolve("pgdbm.toml");
        return Files.isRegularFile(local) ? ConfigLoader.load(local, environment) : ConfigLoader.none(workingDirectory);
    }

    Workspace workspace() {
        return Workspace.resolve(project(), env, environment);
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    /**
     * Asks before a destructive step: {@code yes} skips the question; without a person to answer, refuses
     * (exit 6) and says to pass {@code --yes}.
     */
    void confirm(PrintWriter out, String question, String expectedAnswer, boolean yes) {
        if (yes) {
            return;
        }
        if (!interactive) {
            throw new CliException(
                    ExitCodes.NOT_CONFIRMED,
                    question.replaceAll("\\?$", "")
                            + ": not confirmed (no terminal to ask on; pass --yes to go ahead)");
        }
        out.print(question + " Type '" + expectedAnswer + "' to confirm: ");
        out.flush();
        String answer;
        try {
            answer = input.readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().equals(expectedAnswer)) {
            throw new CliException(ExitCodes.NOT_CONFIRMED, "Not confirmed; nothing was changed");
        }
    }

    /** pgdbm's version, and the versions a scaffolded library builds with. */
    static Properties versions() {
        Properties properties = new Properties();
        try (var in = Pgdbm.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read versions.properties", e);
        }
        return properties;
    }

    /** {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "pgdbm " + versions().getProperty("pgdbm", "unknown") + " (Java " + Runtime.version() + ")"
            };
        }
    }
}
