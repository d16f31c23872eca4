package io.pgdbm.migrations;

import io.pgdbm.DatabaseManager;
import io.pgdbm.internal.Identifiers;

/**
 * Citus schema-based sharding (Citus 12+) for module and tenant schemas: each schema becomes a unit Citus
 * places on one worker node, with all its tables together. pgdbm detects Citus from {@code pg_extension},
 * checks that a module's migrations keep its schema distributable ({@link MigrationManager#checkCitus()}), and
 * distributes schemas with {@code citus_schema_distribute} after migrating them ({@link
 * SchemaProvisioner#citus(Mode)}, or the Spring starter's {@code pgdbm.modules.<name>.citus}).
 */
public final class Citus {
    /** Whether schemas are distributed. */
    public enum Mode {
        /** Never (the default). */
        OFF,
        /** When the server has the {@code citus} extension; without it, schemas stay plain. */
        WHEN_INSTALLED,
        /** Always: a server without the {@code citus} extension is a configuration error. */
        REQUIRED
    }

    private Citus() {}

    /** Whether the database has the {@code citus} extension. */
    public static boolean installed(DatabaseManager db) {
        return Boolean.TRUE.equals(db.fetchValue(
                Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus')"));
    }

    /**
     * Distributes {@code db}'s schema with {@code citus_schema_distribute}, unless it is already distributed
     * ({@code pg_dist_schema}). Call it after the schema's migrations have run.
     *
     * @return whether the schema was distributed now
     * @throws io.pgdbm.ConfigurationException when {@code db} has no schema, or the server has no Citus
     */
    public static boolean distribute(DatabaseManager db) {
        String schema = db.schema()
                .orElseThrow(() -> new io.pgdbm.ConfigurationException(
                        "Citus distributes schemas: give the manager one (pool.manager(\"schema\"))"));
        Identifiers.requireSchema("schema", schema);
        if (!installed(db)) {
            throw new io.pgdbm.ConfigurationException("Schema " + schema + " cannot be distributed: the database has"
                    + " no citus extension (CREATE EXTENSION citus, on a Citus 12+ coordinator)");
        }
        String name = Identifiers.quote(schema);
        if (Boolean.TRUE.equals(db.fetchValue(
                Boolean.class,
                "SELECT EXISTS (SELECT 1 FROM pg_dist_schema WHERE schemaid = $1::regnamespace)",
                name))) {
            return false;
        }
        db.execute("SELECT citus_schema_distribute($1::regnamespace)", name);
        return true;
    }
}
