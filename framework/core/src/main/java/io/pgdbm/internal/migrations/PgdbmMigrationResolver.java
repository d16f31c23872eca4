package io.pgdbm.internal.migrations;

import io.pgdbm.internal.SqlTemplate;
import io.pgdbm.migrations.MigrationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.internal.resolver.ResolvedMigrationImpl;
import org.flywaydb.core.internal.resolver.sql.SqlMigrationExecutor;
import org.flywaydb.core.internal.sqlscript.SqlScript;

/**
 * Gives Flyway one module's migrations for one schema: the SQL it executes is the template rendered for
 * that schema, while the checksum it records is the template's, so a file has one checksum in every
 * schema. Parsing stays Flyway's (its PostgreSQL parser knows dollar quotes, COPY and non-transactional
 * statements); a file Flyway runs in a transaction is, with {@code wholeFiles}, executed in one round trip
 * ({@link WholeFileExecutor}), any other statement by statement as Flyway does.
 */
final class PgdbmMigrationResolver implements MigrationResolver {
    private final List<MigrationFile> files;
    private final String schema;
    private final String module;
    private final String extensionsSchema;
    private final java.util.Map<String, String> schemas;
    private final boolean wholeFiles;

    PgdbmMigrationResolver(
            List<MigrationFile> files,
            String schema,
            java.util.Map<String, String> schemas,
            String module,
            String extensionsSchema,
            boolean wholeFiles) {
        this.wholeFiles = wholeFiles;
        this.files = files;
        this.schema = schema;
        this.schemas = schemas;
        this.module = module;
        this.extensionsSchema = extensionsSchema;
    }

    /**
     * The SQL a file runs in {@code schema}: its template rendered ({@code {{tables.<canonical>.t}}} of another
     * module in the schema {@code schemas} maps it to), extensions placed in the shared schema.
     */
    static String executable(
            MigrationFile file, String schema, java.util.Map<String, String> schemas, String extensionsSchema) {
        return MigrationStatements.withExtensionsIn(SqlTemplate.render(file.sql(), schema, schemas), extensionsSchema);
    }

    @Override
    public Collection<ResolvedMigration> resolveMigrations(Context context) {
        ScriptConfigProvider scriptConfigs = new ScriptConfigProvider(files);
        List<ResolvedMigration> resolved = new ArrayList<>(files.size());
        for (MigrationFile file : files) {
            String rendered = executable(file, schema, schemas, extensionsSchema);
            TextResource resource = new TextResource(file.fileName(), rendered, file.location());
            SqlScript script =
                    context.sqlScriptFactory.createSqlScript(resource, context.configuration.isMixed(), scriptConfigs);
            checkParses(script, file);
            MigrationExecutor executor = wholeFiles
                            && WholeFileExecutor.suits(rendered, file.transactional() && script.executeInTransaction())
                    ? new WholeFileExecutor(rendered, file.fileName())
                    : new SqlMigrationExecutor(context.sqlScriptExecutorFactory, script, false, false);
            resolved.add(new ResolvedMigrationImpl(
                    file.migrationVersion(),
                    file.description(),
                    file.fileName(),
                    file.checksum(),
                    file.repeatable() ? file.checksum() : null,
                    CoreMigrationType.SQL,
                    file.location(),
                    executor));
        }
        return resolved;
    }

    /**
     * Parses now, so that a parse failure names its file: Flyway parses lazily and reports, for example,
     * a file that mixes CREATE INDEX CONCURRENTLY with transactional statements without saying which.
     */
    private void checkParses(SqlScript script, MigrationFile file) {
        try {
            script.executeInTransaction();
        } catch (FlywayException e) {
            boolean mixed = String.valueOf(e.getMessage()).contains("transactional and non-transactional");
            throw new MigrationException(
                    "Migration " + file.fileName() + " of module '" + module + "' in schema " + schema
                            + (mixed
                                    ? " mixes statements that must run outside a transaction (such as CREATE INDEX CONCURRENTLY)"
                                            + " with others: move them to a file of their own whose first line is -- pgdbm:no-transaction."
                                    : " cannot be parsed.")
                            + " " + e.getMessage().strip(),
                    module,
                    schema,
                    file.fileName(),
                    null,
                    null,
                    e);
        }
    }
}
