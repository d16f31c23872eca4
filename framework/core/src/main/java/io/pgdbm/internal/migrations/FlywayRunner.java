package io.pgdbm.internal.migrations;

import io.pgdbm.internal.Masking;
import io.pgdbm.migrations.MigrationException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One Flyway instance for one module in one schema, configured the pgdbm way, and the translation of
 * Flyway's failures into {@link MigrationException}s that name module, schema, file and line.
 */
public final class FlywayRunner {
    private final Flyway flyway;
    private final org.flywaydb.core.api.configuration.Configuration configuration;
    private volatile Flyway readOnly;
    private final String module;
    private final String schema;
    private final String password;
    private final DataSource dataSource;

    /**
     * SQL states a file written for a newer PostgreSQL gets on an older one: new syntax, a new built-in
     * function or type, a feature not supported yet.
     */
    private static final java.util.Set<String> NEWER_SERVER_STATES =
            java.util.Set.of("42601", "42704", "42883", "0A000");

    /**
     * @param grouped apply all pending migrations in one transaction (one lock, one history refresh):
     *     for a schema the module has never migrated, where all-or-nothing is also the better contract
     * @param extensionsSchema where {@code CREATE EXTENSION} without a schema installs
     * @param wholeFiles run each transactional file in one round trip ({@link WholeFileExecutor}); when one
     *     fails, {@link #isWholeFileFailure} says so and the run is to be repeated with a runner without it
     */
    public FlywayRunner(
            DataSource dataSource,
            String schema,
            java.util.Map<String, String> schemas,
            String historyTable,
            String module,
            List<MigrationFile> files,
            String password,
            boolean grouped,
            String extensionsSchema,
            boolean wholeFiles) {
        io.pgdbm.internal.LibraryVersions.check();
        this.module = module;
        this.schema = schema;
        this.password = password;
        this.dataSource = dataSource;
        ClassProvider<JavaMigration> noJavaMigrations = List::of;
        FluentConfiguration configuration = Flyway.configure(FlywayRunner.class.getClassLoader())
                .dataSource(new SchemaFirstDataSource(dataSource, schema))
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(false)
                .table(historyTable)
                .resolvers(new PgdbmMigrationResolver(files, schema, schemas, module, extensionsSchema, wholeFiles))
                .skipDefaultResolvers(true)
                .skipDefaultCallbacks(true)
                .resourceProvider(new ScriptConfigProvider(files))
                .javaMigrationClassProvider(noJavaMigrations)
                // Templates are pgdbm's; ${…} in a migration stays literal text.
                .placeholderReplacement(false)
                // A schema shared with other modules is not empty; baseline at 0 and apply from 1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("pgdbm: schema shared with other modules")
                .group(grouped)
                .validateOnMigrate(true)
                // validate() checks the history against the files: pending files are not a mismatch, and
                // versions newer than every file (an older release rolled back in) are Flyway's default.
                .ignoreMigrationPatterns("*:pending", "*:future")
                .cleanDisabled(true)
                .failOnMissingLocations(false)
                .loggers(FlywayLogs.class.getName());
        // A session-level lock: a transaction-level one would make CREATE INDEX CONCURRENTLY wait on
        // Flyway's own lock transaction forever.
        configuration
                .getConfigurationExtension(PostgreSQLConfigurationExtension.class)
                .setTransactionalLock(false);
        this.flyway = configuration.load();
        this.configuration = configuration;
    }

    /** The SQL {@code file} runs in {@code schema}: rendered, with extensions placed in {@code extensionsSchema}. */
    public static String executable(
            MigrationFile file, String schema, java.util.Map<String, String> schemas, String extensionsSchema) {
        return PgdbmMigrationResolver.executable(file, schema, schemas, extensionsSchema);
    }

    public Flyway flyway() {
        return flyway;
    }

    /** The same configuration as a Flyway that reads ({@code info()}, {@code validate()}) and refuses to change. */
    public Flyway readOnly() {
        Flyway current = readOnly;
        if (current == null) {
            current = new ReadOnlyFlyway(configuration, module, schema);
            readOnly = current;
        }
        return current;
    }

    /** Runs a Flyway command, translating its failures. */
    public <T> T run(Supplier<T> command) {
        try {
            return command.get();
        } catch (FlywayException e) {
            throw translate(e);
        }
    }

    /**
     * Whether a run failed in a file executed in one round trip: the file's transaction rolled back, and the
     * same run with a statement-by-statement runner names the failing line (or applies a file that needed
     * Flyway's own parsing).
     */
    public static boolean isWholeFileFailure(Throwable e) {
        return WholeFileExecutor.failed(e);
    }

    /** Whether Flyway refused to run because the history does not match the files. */
    public static boolean isValidationFailure(MigrationException e) {
        return find(e, FlywayValidateException.class) != null;
    }

    MigrationException translate(FlywayException e) {
        MigrationException ours = find(e, MigrationException.class);
        if (ours != null) {
            return ours;
        }
        SQLException sql = find(e, SQLException.class);
        FlywaySqlScriptException script = find(e, FlywaySqlScriptException.class);
        FlywayMigrateException migrate = find(e, FlywayMigrateException.class);
        String file = migrate != null && migrate.getMigration() != null
                ? migrate.getMigration().getScript()
                : null;
        if (file == null && script != null && script.getResource() != null) {
            file = script.getResource().getFilename();
        }
        Integer line = lineOf(script, sql);
        String state = sql != null ? sql.getSQLState() : null;
        if (file == null) {
            return new MigrationException(
                    "Migrations of module '" + module + "' in schema " + schema + " failed: " + clean(e.getMessage()),
                    module,
                    schema,
                    null,
                    line,
                    state,
                    e);
        }
        boolean transactional = migrate == null || migrate.isExecutableInTransaction();
        String reason = sql != null
                ? clean(sql.getMessage()) + (state == null ? "" : " [SQLState " + state + "]")
                : clean(e.getMessage());
        String outcome = transactional
                ? "Nothing of this file was applied, the history is unchanged and later files did not run: fix the"
                        + " file and apply again."
                : "The file ran outside a transaction (-- pgdbm:no-transaction), so statements before the failing one"
                        + " stayed applied and the history records it as failed: undo what it did, call repair(), fix"
                        + " the file and apply again.";
        return new MigrationException(
                "Migration " + file + " of module '" + module + "' failed in schema " + schema
                        + (line == null ? "" : " at line " + line) + ": " + reason + serverHint(state) + "\n"
                        + outcome,
                module,
                schema,
                file,
                line,
                state,
                e);
    }

    /**
     * For errors an older server gives a file written for a newer one: which PostgreSQL ran it, so that a
     * file that works on the codegen or test server and fails here is not a mystery.
     */
    private String serverHint(String state) {
        if (state == null || !NEWER_SERVER_STATES.contains(state)) {
            return "";
        }
        try (java.sql.Connection connection = dataSource.getConnection()) {
            String version = connection.getMetaData().getDatabaseProductVersion();
            return " (the server runs PostgreSQL " + version + ": if the file was written for a newer PostgreSQL, what"
                    + " it uses may not exist in " + version + ")";
        } catch (SQLException | RuntimeException e) {
            return "";
        }
    }

    /** The statement's first line, moved down by the server's error position within the statement. */
    private static Integer lineOf(FlywaySqlScriptException script, SQLException sql) {
        if (script == null || script.getLineNumber() <= 0) {
            return null;
        }
        int line = script.getLineNumber();
        String statement = script.getStatement();
        Optional<Integer> position = Optional.ofNullable(
                        sql instanceof PSQLException psql ? psql.getServerErrorMessage() : null)
                .map(ServerErrorMessage::getPosition)
                .filter(p -> p > 0);
        if (statement != null && position.isPresent()) {
            int end = Math.min(position.get() - 1, statement.length());
            // Flyway's line is the statement's first SQL line; its text may start with comments and blank lines
            for (int i = sqlStart(statement); i < end; i++) {
                if (statement.charAt(i) == '\n') {
                    line++;
                }
            }
        }
        return line;
    }

    /** Where the SQL of {@code statement} begins: after leading whitespace, {@code --} and block comments. */
    static int sqlStart(String statement) {
        int i = 0;
        int n = statement.length();
        while (i < n) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (statement.startsWith("--", i)) {
                int end = statement.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (statement.startsWith("/*", i)) {
                int end = statement.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private String clean(String message) {
        String text = message == null ? "" : withoutFlywayAdvice(message).strip();
        return Masking.scrub(Masking.maskPasswordLiterals(text), password);
    }

    /** Flyway's own advice ("Run Flyway with -X …") names a command-line switch pgdbm users don't have. */
    static String withoutFlywayAdvice(String message) {
        return message.lines()
                .filter(line -> !line.contains("Run Flyway with -X"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
