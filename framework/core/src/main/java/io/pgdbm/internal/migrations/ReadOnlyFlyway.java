package io.pgdbm.internal.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.output.BaselineResult;
import org.flywaydb.core.api.output.CleanResult;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.OperationResult;
import org.flywaydb.core.api.output.RepairResult;

/**
 * The Flyway of one module in one schema, configured exactly as pgdbm runs it, for tools that read Flyway:
 * {@code info()} and {@code validate()} work; commands that change the schema or its history refuse, because
 * pgdbm runs them under its migration lock and checks (for example Spring Boot's {@code /actuator/flyway} lists
 * these beans; nothing should migrate through them).
 */
final class ReadOnlyFlyway extends Flyway {
    private final String module;
    private final String schema;

    ReadOnlyFlyway(Configuration configuration, String module, String schema) {
        super(configuration);
        this.module = module;
        this.schema = schema;
    }

    @Override
    public MigrateResult migrate() {
        throw refused("migrate()", "call MigrationManager.applyPending()");
    }

    @Override
    public CleanResult clean() {
        throw refused("clean()", "drop the schema yourself (pgdbm never cleans)");
    }

    @Override
    public BaselineResult baseline() {
        throw refused("baseline()", "call MigrationManager.applyPending(), which baselines a shared schema itself");
    }

    @Override
    public RepairResult repair() {
        throw refused("repair()", "call MigrationManager.repair()");
    }

    @Override
    public OperationResult undo() {
        throw refused("undo()", "call MigrationManager.rollback(version)");
    }

    private UnsupportedOperationException refused(String command, String instead) {
        return new UnsupportedOperationException("The Flyway of module '" + module + "' in schema " + schema
                + " is for reading (info(), validate()): it refuses " + command
                + ", because pgdbm changes a schema only under its migration lock; " + instead + ".");
    }
}
