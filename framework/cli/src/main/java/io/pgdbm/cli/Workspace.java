package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.SslMode;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.migrations.ModuleGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command works on: the project's configuration, the chosen environment's connection and the modules
 * in dependency order.
 */
public final class Workspace {
    private final ProjectConfig config;
    private final String environmentName;
    private final DatabaseConfig database;
    private final String defaultSchema;
    private final ModuleGraph graph;

    private Workspace(ProjectConfig config, String environmentName, DatabaseConfig database, String defaultSchema) {
        this.config = config;
        this.environmentName = environmentName;
        this.database = database;
        this.defaultSchema = defaultSchema;
        ModuleGraph.Builder builder = ModuleGraph.builder();
        config.modules().values().forEach(m -> builder.module(m.name(), m.dependsOn()));
        try {
            this.graph = builder.build();
        } catch (RuntimeException e) {
            throw CliException.config(where() + e.getMessage());
        }
    }

    /** The modules alone, without a connection (for codegen, which brings its own server). */
    public static Workspace layout(ProjectConfig config) {
        return new Workspace(config, "none", null, "public");
    }

    /**
     * Resolves the environment: {@code --env}, else {@code PGDBM_ENV}, else {@code default_env}, else the only
     * environment, else {@code dev}; without a matching {@code [environments.*]} table, {@code DATABASE_URL}
     * (or the libpq {@code PG*} variables).
     */
    public static Workspace resolve(ProjectConfig config, String envOption, Map<String, String> env) {
        String chosen = envOption != null ? envOption : env.get("PGDBM_ENV");
        String name = chosen != null ? chosen : config.defaultEnv().orElse(null);
        if (name == null) {
            name = config.environments().size() == 1
                    ? config.environments().keySet().iterator().next()
                    : "dev";
        }
        ProjectConfig.Environment environment = config.environments().get(name);
        if (environment != null) {
            return new Workspace(
                    config,
                    name,
                    databaseConfig(config, environment, env),
                    environment.schema().orElse("public"));
        }
        if (chosen != null && !config.environments().isEmpty()) {
            throw CliException.config("No environment '" + name + "' in " + fileName(config) + " (environments: "
                    + String.join(", ", config.environments().keySet()) + ")");
        }
        if (env.containsKey("DATABASE_URL") || env.containsKey("PGHOST") || env.containsKey("PGDATABASE")) {
            try {
                return new Workspace(
                        config,
                        "environment variables",
                        withDefaults(DatabaseConfig.builder().fromEnvironment(env))
                                .build(),
                        "public");
            } catch (ConfigurationException e) {
                throw CliException.config("DATABASE_URL: " + e.getMessage());
            }
        }
        throw CliException.config("No database configured: set DATABASE_URL (e.g."
                + " postgresql://user:password@localhost:5432/app), or add an [environments." + name + "] table"
                + " with a url to " + (config.file().isPresent() ? fileName(config) : "a pgdbm.toml")
                + " (`pgdbm generate config` writes one)");
    }

    /**
     * Whether {@link #resolve} finds a database: an environment of the configuration is chosen or named, or
     * {@code DATABASE_URL} or the libpq {@code PG*} variables are set.
     */
    public static boolean databaseConfigured(ProjectConfig config, String envOption, Map<String, String> env) {
        if (!config.environments().isEmpty()) {
            return true; // resolve() uses one, or names the missing one
        }
        return env.containsKey("DATABASE_URL") || env.containsKey("PGHOST") || env.containsKey("PGDATABASE");
    }

    private static DatabaseConfig databaseConfig(
            ProjectConfig config, ProjectConfig.Environment environment, Map<String, String> env) {
        String where = fileName(config) + ": [environments." + environment.name() + "] ";
        if (environment.unresolved().isPresent()) {
            throw CliException.config(environment.unresolved().get());
        }
        try {
            DatabaseConfig.Builder builder = DatabaseConfig.builder();
            if (environment.url().isPresent()) {
                builder.url(environment.url().get());
            } else {
                if (environment.host().isEmpty() || environment.database().isEmpty()) {
                    throw CliException.config(where + "needs url (or connection_string), or host and database");
                }
                builder.host(environment.host().get())
                        .port(environment.port().orElse(5432))
                        .database(environment.database().get());
                environment.user().ifPresent(builder::user);
                environment.password().ifPresent(builder::password);
            }
            environment.sslMode().map(SslMode::parse).ifPresentOrElse(builder::sslMode, () -> {
                if (environment.sslEnabled()) {
                    builder.sslMode(environment.sslCaFile().isPresent() ? SslMode.VERIFY_FULL : SslMode.REQUIRE);
                }
            });
            environment.sslCaFile().map(f -> resolvePath(config, f)).ifPresent(builder::sslRootCert);
            environment.sslCertFile().map(f -> resolvePath(config, f)).ifPresent(builder::sslCert);
            environment.sslKeyFile().map(f -> resolvePath(config, f)).ifPresent(builder::sslKey);
            environment.migrationUrl().ifPresent(builder::migrationUrl);
            builder.transactionPooling(environment.transactionPooling());
            return withDefaults(builder).build();
        } catch (ConfigurationException | IllegalArgumentException e) {
            throw CliException.config(where + e.getMessage());
        }
    }

    private static DatabaseConfig.Builder withDefaults(DatabaseConfig.Builder builder) {
        // A command line fails fast: no start-up retries (a service waiting for its database retries).
        return builder.applicationName("pgdbm-cli")
                .minConnections(0)
                .maxConnections(2)
                .startupRetries(0, java.time.Duration.ofMillis(100));
    }

    private static Path resolvePath(ProjectConfig config, String file) {
        return config.baseDirectory().resolve(file).normalize();
    }

    private static String fileName(ProjectConfig config) {
        return config.file().map(f -> f.getFileName().toString()).orElse("pgdbm.toml");
    }

    private String where() {
        return config.file().map(f -> f.getFileName() + ": ").orElse("");
    }

    public ProjectConfig config() {
        return config;
    }

    /** The environment's name, or "environment variables". */
    public String environmentName() {
        return environmentName;
    }

    /** The connection, for one module's work (two connections). */
    public DatabaseConfig database() {
        return database;
    }

    /** The connection for work on several modules: the {@code [shared_pool]} sizes when set. */
    public DatabaseConfig sharedDatabase() {
        return config.sharedPool()
                .map(p -> database.toBuilder()
                        .minConnections(p.minConnections())
                        .maxConnections(p.maxConnections())
                        .build())
                .orElse(database);
    }

    /** The environment's default schema (modules without a schema of their own use it). */
    public String defaultSchema() {
        return defaultSchema;
    }

    public ModuleGraph graph() {
        return graph;
    }

    /** A module by name. */
    public ProjectConfig.Module module(String name) {
        ProjectConfig.Module module = config.modules().get(name);
        if (module == null) {
            throw CliException.config("No module '" + name + "'"
                    + (config.modules().isEmpty()
                            ? ""
                            : " (modules: " + String.join(", ", config.modules().keySet()) + ")")
                    + (config.file().isPresent() ? " in " + fileName(config) : ""));
        }
        return module;
    }

    /**
     * The module a one-module command works on: {@code name}, or the only module when {@code name} is null.
     *
     * @throws CliException a usage error when {@code name} is null and there is not exactly one module; a
     *     configuration error naming the modules when there is no such module
     */
    public ProjectConfig.Module moduleOrOnly(String name) {
        if (name == null) {
            if (config.modules().size() != 1) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "Which module? Pass --module (modules: "
                                + String.join(", ", config.modules().keySet()) + ")");
            }
            return config.modules().values().iterator().next();
        }
        return module(name);
    }

    /**
     * The modules a command works on, in dependency order: {@code names} and their dependencies (only
     * {@code names} with {@code only}); every module when {@code names} is empty.
     */
    public List<ProjectConfig.Module> modules(List<String> names, boolean only) {
        List<String> order;
        if (names.isEmpty()) {
            order = graph.order();
        } else {
            names.forEach(this::module);
            order = only
                    ? graph.order().stream().filter(names::contains).toList()
                    : graph.orderFor(names.toArray(String[]::new));
        }
        List<ProjectConfig.Module> modules = new ArrayList<>();
        order.forEach(name -> modules.add(module(name)));
        return modules;
    }

    /** The schema a module migrates into: its own, else the environment's. */
    public String schemaOf(ProjectConfig.Module module) {
        return module.schema().orElse(defaultSchema);
    }

    /** Where a module's migrations are, as a directory (null for {@code classpath:} locations). */
    public Optional<Path> directoryOf(ProjectConfig.Module module) {
        if (module.migrationsPath().startsWith("classpath:")) {
            return Optional.empty();
        }
        return Optional.of(
                config.baseDirectory().resolve(module.migrationsPath()).normalize());
    }

    /** The module's migrations applied to many tenant schemas ({@code pgdbm tenants}). */
    public io.pgdbm.migrations.SchemaProvisioner provisioner(SharedPool pool, ProjectConfig.Module module) {
        Optional<Path> directory = directoryOf(module);
        if (directory.isEmpty()) {
            return io.pgdbm.migrations.SchemaProvisioner.of(pool, module.migrationsPath(), module.name());
        }
        if (!Files.isDirectory(directory.get())) {
            throw CliException.config("Migrations of module '" + module.name() + "': directory " + directory.get()
                    + " does not exist (migrations_path = \"" + module.migrationsPath() + "\")");
        }
        return io.pgdbm.migrations.SchemaProvisioner.of(pool, directory.get(), module.name());
    }

    /** The migration manager of {@code module} on {@code pool}. */
    public MigrationManager migrations(SharedPool pool, ProjectConfig.Module module) {
        DatabaseManager manager = pool.manager(schemaOf(module));
        Optional<Path> directory = directoryOf(module);
        if (directory.isEmpty()) {
            return MigrationManager.of(manager, module.migrationsPath(), module.name());
        }
        if (!Files.isDirectory(directory.get())) {
            throw CliException.config("Migrations of module '" + module.name() + "': directory " + directory.get()
                    + " does not exist (migrations_path = \"" + module.migrationsPath() + "\""
                    + (config.file().isPresent() ? " in " + fileName(config) : ", the default without pgdbm.toml")
                    + ")");
        }
        return MigrationManager.of(manager, directory.get(), module.name());
    }
}
