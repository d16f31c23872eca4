package io.pgdbm.codegen;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.SharedPool;
import io.pgdbm.internal.Identifiers;
import io.pgdbm.internal.migrations.MigrationFile;
import io.pgdbm.internal.migrations.MigrationSource;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationManager;
import io.pgdbm.postgres.IsolatedDatabases;
import io.pgdbm.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.MatcherRule;
import org.jooq.meta.jaxb.MatcherTransformType;
import org.jooq.meta.jaxb.Matchers;
import org.jooq.meta.jaxb.MatchersSchemaType;
import org.jooq.meta.jaxb.OnError;
import org.jooq.meta.jaxb.Strategy;
import org.jooq.meta.jaxb.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates jOOQ classes for one module from its migrations, against a real PostgreSQL: it starts (or
 * uses) a server, creates a scratch database, applies the migrations with the same {@link
 * MigrationManager} the application uses into the module's canonical schema, runs jOOQ's {@link
 * GenerationTool} on that schema, and writes a {@code <Module>Module} descriptor next to the generated
 * classes. Real PostgreSQL, not a simulation, so jsonb, enums, arrays, domains, functions and generated
 * columns come out as PostgreSQL defines them.
 *
 * <p>A checksum over the migrations and the options is kept in the output directory; when it matches and
 * the output exists, nothing runs. The Maven plugin and the {@code pgdbm codegen} command are thin adapters
 * over this class.
 *
 * <pre>{@code
 * CodeGenerator.Result result = CodeGenerator.builder()
 *     .module("users")
 *     .migrations("src/main/resources/db/users")
 *     .packageName("com.example.users.db")
 *     .outputDirectory(Path.of("target/generated-sources/pgdbm"))
 *     .build()
 *     .generate();
 * }</pre>
 */
public final class CodeGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(CodeGenerator.class);
    private static final Pattern PACKAGE = Pattern.compile("[a-zA-Z_$][\\w$]*(\\.[a-zA-Z_$][\\w$]*)*");
    private static final String STATE_PREFIX = ".pgdbm-codegen-";

    private final String module;
    private final String canonicalSchema;
    private final List<String> migrations;
    /** Modules this one references, migrated first into their canonical schemas: name -> location. */
    private final java.util.Map<String, String> dependsOn;

    private final String runtimeMigrationsLocation;
    private final String packageName;
    private final Path outputDirectory;
    private final Generate generate;
    private final String includes;
    private final String excludes;
    private final List<ForcedType> forcedTypes;
    private final PostgresServer server;
    private final ClassLoader classLoader;
    private final boolean force;
    /** Decorates the connection jOOQ reads through; tests use it to inject failures. */
    private final java.util.function.UnaryOperator<java.sql.Connection> readThrough;

    private CodeGenerator(Builder b) {
        this.module = b.module;
        this.canonicalSchema = b.canonicalSchema == null ? b.module : b.canonicalSchema;
        this.migrations = List.copyOf(b.migrations);
        this.runtimeMigrationsLocation = b.runtimeMigrationsLocation != null
                ? b.runtimeMigrationsLocation
                : migrations.stream()
                        .filter(l -> l.startsWith("classpath:"))
                        .findFirst()
                        .orElse("classpath:db/" + module);
        this.packageName = b.packageName;
        this.outputDirectory = b.outputDirectory;
        this.generate = b.generate != null ? b.generate : new Generate();
        this.includes = b.includes;
        this.excludes = b.excludes;
        this.dependsOn = new java.util.LinkedHashMap<>(b.dependsOn);
        this.readThrough = b.readThrough;
        this.forcedTypes = List.copyOf(b.forcedTypes);
        this.server = b.server;
        this.classLoader = b.classLoader;
        this.force = b.force;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What {@link #generate()} did. */
    public record Result(
            boolean generated, String reason, Path outputDirectory, String descriptorClass, Duration elapsed) {}

    /**
     * Generates, unless the migrations and options are unchanged since the last run and the output exists.
     *
     * @throws MigrationException when a migration cannot be loaded or fails (naming file and line)
     * @throws IllegalStateException when the server cannot be reached or jOOQ fails
     */
    public Result generate() {
        long started = System.nanoTime();
        List<MigrationFile> files = loadMigrations();
        String checksum = checksum(files);
        StateFile stateFile = new StateFile(outputDirectory.resolve(STATE_PREFIX + module));
        Path descriptor = descriptorFile();
        if (!force && Files.isRegularFile(descriptor) && checksum.equals(stateFile.read())) {
            LOG.info("pgdbm codegen: module {} is up to date (migrations and options unchanged)", module);
            return new Result(
                    false,
                    "up to date",
                    outputDirectory,
                    descriptorClassName(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
        LOG.info(
                "pgdbm codegen: generating jOOQ classes for module {} ({} migration file(s)) into {}",
                module,
                files.size(),
                outputDirectory);
        // no state while generating: an interrupted or failed run is never taken for an up-to-date one
        stateFile.delete();
        PostgresServer target = server != null ? server : CodegenServer.shared();
        IsolatedDatabases databases = IsolatedDatabases.on(target);
        String database = databases.create("codegen");
        try {
            migrate(target, database);
            runJooq(target, database);
            ModuleDescriptorSource.write(
                    descriptor, packageName, descriptorClassName(), module, canonicalSchema, runtimeMigrationsLocation);
            stateFile.write(checksum);
        } finally {
            databases.dropNow(database);
            databases.close();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("pgdbm codegen: module {} generated in {} ms", module, elapsed.toMillis());
        return new Result(true, "generated", outputDirectory, descriptorClassName(), elapsed);
    }

    private List<MigrationFile> loadMigrations() {
        List<MigrationFile> all = new ArrayList<>();
        for (String location : migrations) {
            all.addAll(load(location, module));
        }
        return all;
    }

    private List<MigrationFile> load(String location, String owner) {
        try {
            return MigrationSource.load(location, classLoader);
        } catch (MigrationSource.InvalidMigrationsException e) {
            throw new MigrationException(
                    "Migrations of module '" + owner + "' (" + location + "): " + e.getMessage(),
                    owner,
                    owner.equals(module) ? canonicalSchema : owner,
                    e.file(),
                    e.line(),
                    null,
                    e);
        }
    }

    private void migrate(PostgresServer target, String database) {
        try (SharedPool pool = SharedPool.create(DatabaseConfig.builder()
                .url(target.url(database))
                .minConnections(0)
                .maxConnections(4)
                .startupRetries(0, Duration.ZERO)
                .applicationName("pgdbm-codegen")
                .build())) {
            // the modules this one references first, each in its canonical schema (its name), as the
            // {{tables.<module>.t}} templates and the generated code name them
            dependsOn.forEach((dependency, location) -> apply(pool.manager(dependency), location, dependency));
            for (String location : migrations) {
                apply(pool.manager(canonicalSchema), location, module);
            }
        }
    }

    /** Applies one module's migrations, reading {@code classpath:} locations through the project's class loader. */
    private void apply(io.pgdbm.DatabaseManager db, String location, String name) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(classLoader);
        try {
            MigrationManager.of(db, location, name).applyPending();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void runJooq(PostgresServer target, String database) {
        String history = module + "_schema_history";
        String excluded = excludes == null || excludes.isBlank() ? history : excludes + "|" + history;
        List<String> notTheModules = NotTheModules.in(target, database, canonicalSchema, module);
        if (!notTheModules.isEmpty()) {
            LOG.debug("pgdbm codegen: leaving out of module {}: {}", module, notTheModules);
            excluded = excluded + "|" + NotTheModules.exclusion(canonicalSchema, notTheModules);
        }
        Configuration configuration = new Configuration()
                .withLogging(Logging.WARN)
                .withOnError(OnError.FAIL)
                .withGenerator(new Generator()
                        .withName("org.jooq.codegen.JavaGenerator")
                        // Schema classes are <Name>Schema (constant <NAME>_SCHEMA): a module "users" with a table
                        // "users" is common, and jOOQ would otherwise rename the table constant to USERS_.
                        .withStrategy(new Strategy()
                                .withMatchers(new Matchers()
                                        .withSchemas(new MatchersSchemaType()
                                                .withSchemaClass(new MatcherRule()
                                                        .withTransform(MatcherTransformType.PASCAL)
                                                        .withExpression("$0_schema"))
                                                .withSchemaIdentifier(new MatcherRule()
                                                        .withTransform(MatcherTransformType.UPPER)
                                                        .withExpression("$0_schema")))))
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema(canonicalSchema)
                                .withIncludes(includes == null || includes.isBlank() ? ".*" : includes)
                                .withExcludes(excluded)
                                .withForcedTypes(forcedTypes))
                        .withGenerate(generate)
                        .withTarget(new Target()
                                .withPackageName(packageName)
                                .withDirectory(outputDirectory.toString())
                                .withClean(true)));
        List<SQLException> errors;
        try (java.sql.Connection connection = target.connect(database)) {
            RecordingConnection recording = new RecordingConnection(readThrough.apply(connection));
            GenerationTool tool = new GenerationTool();
            tool.setConnection(recording.connection());
            tool.run(configuration);
            errors = recording.errors();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "jOOQ code generation failed for module " + module + ": " + e.getMessage(), e);
        }
        if (!errors.isEmpty()) {
            SQLException first = errors.get(0);
            IllegalStateException failure = new IllegalStateException("jOOQ code generation for module " + module
                    + " hit " + errors.size() + " database error(s) while reading the schema, so the classes may miss"
                    + " what it could not read; nothing is recorded as up to date. First: " + first.getMessage()
                    + (first.getSQLState() == null ? "" : " [SQLState " + first.getSQLState() + "]"));
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** The descriptor's simple class name: {@code users} gives {@code UsersModule}, {@code order_lines} {@code OrderLinesModule}. */
    String descriptorClassName() {
        StringBuilder name = new StringBuilder();
        for (String part : module.split("_")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name + "Module";
    }

    private Path descriptorFile() {
        return outputDirectory.resolve(packageName.replace('.', '/')).resolve(descriptorClassName() + ".java");
    }

    private String checksum(List<MigrationFile> files) {
        StringBuilder input = new StringBuilder()
                .append("pgdbm-codegen 3|jooq ")
                .append(org.jooq.Constants.VERSION)
                .append("|module=")
                .append(module)
                .append("|schema=")
                .append(canonicalSchema)
                .append("|package=")
                .append(packageName)
                .append("|runtime=")
                .append(runtimeMigrationsLocation)
                .append("|includes=")
                .append(includes)
                .append("|excludes=")
                .append(excludes)
                .append("|generate=")
                .append(generate)
                .append("|forcedTypes=")
                .append(forcedTypes);
        for (MigrationFile file : files) {
            input.append('|').append(file.fileName()).append('=').append(file.text());
        }
        for (java.util.Map.Entry<String, String> dependency : dependsOn.entrySet()) {
            input.append("|dependsOn=").append(dependency.getKey()).append('@').append(dependency.getValue());
            for (MigrationFile file : load(dependency.getValue(), dependency.getKey())) {
                input.append('|').append(file.fileName()).append('=').append(file.text());
            }
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(input.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the shared embedded server, if one runs. Build tools call this after their last generation: a JVM
     * shutdown hook may run after the tool has unloaded the classes the server needs to stop.
     */
    public static void stopEmbeddedServer() {
        CodegenServer.stop();
    }

    /** Options; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private String module;
        private String canonicalSchema;
        private final List<String> migrations = new ArrayList<>();
        private String runtimeMigrationsLocation;
        private String packageName;
        private Path outputDirectory;
        private Generate generate;
        private String includes;
        private String excludes;
        private final java.util.Map<String, String> dependsOn = new java.util.LinkedHashMap<>();
        private final List<ForcedType> forcedTypes = new ArrayList<>();
        private PostgresServer server;
        private ClassLoader classLoader = CodeGenerator.class.getClassLoader();
        private boolean force;
        private java.util.function.UnaryOperator<java.sql.Connection> readThrough = connection -> connection;

        private Builder() {}

        /** For tests: what jOOQ's connection goes through (e.g. one that fails on the n-th statement). */
        Builder readThrough(java.util.function.UnaryOperator<java.sql.Connection> readThrough) {
            this.readThrough = Objects.requireNonNull(readThrough, "readThrough");
            return this;
        }

        /** The module name (required); names the history table and the descriptor class. */
        public Builder module(String module) {
            this.module = module;
            return this;
        }

        /** The schema generated classes name; default the module name. */
        public Builder canonicalSchema(String canonicalSchema) {
            this.canonicalSchema = canonicalSchema;
            return this;
        }

        /** Migration locations (directories or {@code classpath:…}), applied in order. */
        public Builder migrations(String... locations) {
            this.migrations.addAll(List.of(locations));
            return this;
        }

        public Builder migrations(List<String> locations) {
            this.migrations.addAll(locations);
            return this;
        }

        /** Where the application finds the migrations at run time (the descriptor's location); default {@code classpath:db/<module>}. */
        public Builder runtimeMigrationsLocation(String location) {
            this.runtimeMigrationsLocation = location;
            return this;
        }

        /** The Java package of the generated classes (required). */
        public Builder packageName(String packageName) {
            this.packageName = packageName;
            return this;
        }

        /** The source root to write into (required). */
        public Builder outputDirectory(Path outputDirectory) {
            this.outputDirectory = outputDirectory;
            return this;
        }

        /** jOOQ's generator options (records, POJOs, Java records, DAOs, …), passed through. */
        public Builder generate(Generate generate) {
            this.generate = generate;
            return this;
        }

        /** jOOQ's include expression (regular expression over object names); default everything. */
        public Builder includes(String includes) {
            this.includes = includes;
            return this;
        }

        /**
         * A module this one references ({@code {{tables.accounts.accounts}}} in a migration): its migrations at
         * {@code migrationsLocation} are applied first, into a schema named after it, so that this module's
         * migrations run; only this module's objects are generated (the other module has classes of its own).
         * Give dependencies in the order they apply.
         */
        public Builder dependsOn(String module, String migrationsLocation) {
            Identifiers.require("dependency module name", module);
            this.dependsOn.put(module, Objects.requireNonNull(migrationsLocation, "migrationsLocation"));
            return this;
        }

        /** jOOQ's exclude expression; the module's history table is always excluded. */
        public Builder excludes(String excludes) {
            this.excludes = excludes;
            return this;
        }

        /** jOOQ forced types, passed through. */
        public Builder forcedTypes(List<ForcedType> forcedTypes) {
            this.forcedTypes.addAll(forcedTypes);
            return this;
        }

        /** A server to use instead of the embedded one (it needs a user that may create databases). */
        public Builder server(PostgresServer server) {
            this.server = server;
            return this;
        }

        /** The class loader for {@code classpath:} locations. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /** Generate even when nothing changed. */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        /**
         * Checks the options.
         *
         * @throws IllegalArgumentException naming the option and the rule
         * @throws io.pgdbm.IdentifierException for a bad module or schema name
         */
        public CodeGenerator build() {
            if (module == null || module.isBlank()) {
                throw new IllegalArgumentException("module is required: the module's name, e.g. users");
            }
            Identifiers.require("module name", module);
            if (canonicalSchema != null) {
                Identifiers.require("canonical schema", canonicalSchema);
            }
            if (migrations.isEmpty()) {
                throw new IllegalArgumentException(
                        "migrations: give at least one location, e.g. src/main/resources/db/" + module);
            }
            if (packageName == null || !PACKAGE.matcher(packageName).matches()) {
                throw new IllegalArgumentException("packageName ('" + packageName
                        + "') must be a Java package name, e.g. com.example." + module + ".db");
            }
            if (outputDirectory == null) {
                throw new IllegalArgumentException("outputDirectory is required, e.g. target/generated-sources/pgdbm");
            }
            return new CodeGenerator(this);
        }
    }
}
