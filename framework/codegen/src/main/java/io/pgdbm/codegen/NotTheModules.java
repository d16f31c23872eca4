package io.pgdbm.codegen;

import io.pgdbm.postgres.PostgresServer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Objects in a module's schema that code generation leaves out. */
final class NotTheModules {
    private NotTheModules() {}

    /**
     * What sits in the module's schema but is not the module's to generate: objects an extension created there
     * (its functions, types, operators' functions, tables — the extension's, not the module's API) and
     * partitions (queried through their parent table, which is generated).
     */
    static List<String> in(PostgresServer target, String database, String canonicalSchema, String module) {
        String sql = """
                SELECT DISTINCT name FROM (
                    SELECT p.proname AS name, p.pronamespace AS ns FROM pg_proc p
                    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    UNION ALL
                    SELECT t.typname, t.typnamespace FROM pg_type t
                    JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
                    UNION ALL
                    SELECT c.relname, c.relnamespace FROM pg_class c
                    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                    UNION ALL
                    SELECT c.relname, c.relnamespace FROM pg_class c WHERE c.relispartition
                ) objects
                WHERE ns = (SELECT oid FROM pg_namespace WHERE nspname = ?)
                ORDER BY name""";
        List<String> names = new ArrayList<>();
        try (java.sql.Connection connection = target.connect(database);
                java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, canonicalSchema);
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "pgdbm codegen could not read the schema of module " + module + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** A name as a regular expression that matches exactly it (jOOQ reads excludes with COMMENTS on). */
    private static String literal(String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '_') {
                regex.append(c);
            } else {
                regex.append(String.format("\\x{%x}", (int) c));
            }
        }
        return regex.toString();
    }

    /** A jOOQ exclude expression matching exactly {@code names} in {@code schema}. */
    static String exclusion(String schema, List<String> names) {
        return schema + "\\.(?:"
                + String.join("|", names.stream().map(NotTheModules::literal).toList()) + ")";
    }
}
