package io.pgdbm.testing;

import java.util.Objects;

/**
 * One module's migrations to apply to a test database: where they are, the module name (as the
 * application uses it) and the schema to apply them in.
 *
 * @param location a directory or {@code classpath:db/module}
 * @param module the module name; its history table is {@code <module>_schema_history}
 * @param schema the schema to migrate
 */
public record MigrationSpec(String location, String module, String schema) {
    public MigrationSpec {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(schema, "schema");
    }

    public static MigrationSpec of(String location, String module, String schema) {
        return new MigrationSpec(location, module, schema);
    }

    static MigrationSpec of(Migrations annotation) {
        String schema = annotation.schema().isEmpty() ? annotation.module() : annotation.schema();
        return new MigrationSpec(annotation.location(), annotation.module(), schema);
    }
}
