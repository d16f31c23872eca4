package io.pgdbm.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The DDL of schemas, read from the server's catalog, in an order that applies to an empty database: types,
 * standalone sequences, functions, tables (with their checks and keys), partitions, views, indexes, foreign
 * keys, triggers, sequence ownership, row-level security and comments. Names are schema-qualified (the
 * export runs with an empty {@code search_path}, as {@code pg_dump} does), and the server's own functions
 * ({@code pg_get_viewdef}, {@code pg_get_constraintdef}, …) write each definition, so the text is what
 * PostgreSQL itself would accept.
 *
 * <p>Written here rather than calling {@code pg_dump}: a newcomer's machine (or a container image with only a
 * JDK) has no PostgreSQL client programs, and the embedded server ships none. Not exported: data, grants and
 * owners, objects that belong to extensions (the extension itself is), and pgdbm's history tables.
 */
final class SchemaExport {
    private final Connection connection;
    private final Set<String> skippedTables;
    private final StringBuilder out = new StringBuilder();

    /**
     * @param connection a connection whose {@code search_path} the export may change
     * @param skippedTables table names not to export in any schema (the modules' history tables)
     */
    SchemaExport(Connection connection, Set<String> skippedTables) {
        this.connection = connection;
        this.skippedTables = skippedTables;
    }

    /** The DDL of {@code schemas}, in this order, as one script. */
    String export(List<String> schemas) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = ''");
        }
        out.append("-- Exported by pgdbm dev export-schema: the schemas' DDL, without data, grants or owners.\n")
                .append("SET check_function_bodies = false;\n");
        for (String schema : schemas) {
            schema(schema);
        }
        return out.toString();
    }

    private void schema(String schema) throws SQLException {
        if (!one("SELECT count(*) > 0 FROM pg_namespace WHERE nspname = ?", schema)
                .equals("t")) {
            throw new CliException(ExitCodes.FAILURE, "Schema " + schema + " does not exist in this database");
        }
        section("Schema " + schema);
        emit("CREATE SCHEMA IF NOT EXISTS " + ident(schema));
        for (String extension : list(
                "SELECT format('CREATE EXTENSION IF NOT EXISTS %I SCHEMA %I', e.extname, n.nspname) FROM pg_extension e"
                        + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = ? ORDER BY e.extname",
                schema)) {
            emit(extension);
        }
        String notInExtension = " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s AND d.deptype = 'e')";
        // types: enums, domains, composites, ranges
        for (String type : list(
                "SELECT CASE t.typtype"
                        + " WHEN 'e' THEN format('CREATE TYPE %s AS ENUM (%s)', t.oid::regtype, (SELECT string_agg("
                        + "quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))"
                        + " WHEN 'd' THEN format('CREATE DOMAIN %s AS %s%s%s%s%s', t.oid::regtype,"
                        + " format_type(t.typbasetype, t.typtypmod),"
                        + " CASE WHEN t.typcollation <> 0 AND t.typcollation <> (SELECT b.typcollation FROM pg_type b"
                        + " WHERE b.oid = t.typbasetype) THEN ' COLLATE ' || t.typcollation::regcollation::text ELSE '' END,"
                        + " CASE WHEN t.typdefaultbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0) ELSE '' END,"
                        + " CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END,"
                        + " coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(c.conname) || ' '"
                        + " || pg_get_constraintdef(c.oid), '' ORDER BY c.conname) FROM pg_constraint c"
                        + " WHERE c.contypid = t.oid AND c.contype = 'c'), ''))"
                        + " WHEN 'c' THEN format('CREATE TYPE %s AS (%s)', t.oid::regtype, (SELECT string_agg("
                        + "quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)"
                        + " FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))"
                        + " WHEN 'r' THEN format('CREATE TYPE %s AS RANGE (subtype = %s)', t.oid::regtype,"
                        + " (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)) END"
                        + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                        + " WHERE n.nspname = ? AND (t.typtype IN ('e', 'd', 'r') OR t.typtype = 'c'"
                        + " AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')"
                        + notInExtension.formatted("t.oid") + " ORDER BY t.oid",
                schema)) {
            emit(type);
        }
        // sequences that no identity column owns (serial columns' are created here, owned further down)
        for (String sequence : list(
                "SELECT format('CREATE SEQUENCE %s AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s%s',"
                        + " c.oid::regclass, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart,"
                        + " s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END)"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid"
                        + " = c.oid WHERE n.nspname = ? AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d"
                        + " WHERE d.objid = c.oid AND d.deptype IN ('i', 'e')) ORDER BY c.oid",
                schema)) {
            emit(sequence);
        }
        // functions first, so that defaults, checks and triggers find them; those whose signature names a
        // table's or view's row type after the tables and views
        String functions = "SELECT rtrim(pg_get_functiondef(p.oid), E'\\n') FROM pg_proc p JOIN pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.prokind IN ('f', 'p')"
                + notInExtension.formatted("p.oid") + " AND %s EXISTS (SELECT 1 FROM pg_type ty JOIN pg_class r"
                + " ON r.oid = ty.typrelid WHERE r.relkind <> 'c' AND ty.oid = ANY (p.proargtypes::oid[]"
                + " || p.prorettype || coalesce(p.proallargtypes, '{}'::oid[]))) ORDER BY p.oid";
        for (String function : list(functions.formatted("NOT"), schema)) {
            emit(function);
        }
        List<String[]> tables = rows(
                "SELECT c.oid::text, c.relname, c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid ="
                        + " c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p')"
                        + notInExtension.formatted("c.oid") + " ORDER BY c.relispartition, c.oid",
                schema);
        for (String[] table : tables) {
            if (!skippedTables.contains(table[1])) {
                emit(createTable(table[0], "t".equals(table[2])));
            }
        }
        for (String view : list(
                "SELECT format(CASE c.relkind WHEN 'v' THEN 'CREATE VIEW %s AS %s' ELSE"
                        + " 'CREATE MATERIALIZED VIEW %s AS %s WITH NO DATA' END, c.oid::regclass,"
                        + " rtrim(btrim(pg_get_viewdef(c.oid)), ';'))"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
                        + " AND c.relkind IN ('v', 'm')" + notInExtension.formatted("c.oid") + " ORDER BY c.oid",
                schema)) {
            emit(view);
        }
        for (String function : list(functions.formatted(""), schema)) {
            emit(function);
        }
        // indexes that back no constraint and are not a partition's copy of its parent's index
        for (String[] index : rows(
                "SELECT t.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                        + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ?"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
                        + " AND c.contype IN ('p', 'u', 'x'))"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)"
                        + notInExtension.formatted("t.oid") + " ORDER BY i.indexrelid",
                schema)) {
            if (!skippedTables.contains(index[0])) {
                emit(index[1]);
            }
        }
        for (String[] foreignKey : rows(
                "SELECT t.relname, format('ALTER TABLE %s ADD CONSTRAINT %I %s', t.oid::regclass, c.conname,"
                        + " pg_get_constraintdef(c.oid)) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                        + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND c.contype = 'f'"
                        + " AND c.conparentid = 0 ORDER BY c.oid",
                schema)) {
            if (!skippedTables.contains(foreignKey[0])) {
                emit(foreignKey[1]);
            }
        }
        for (String trigger : list(
                "SELECT pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'D' THEN format(';\nALTER TABLE %s DISABLE"
                        + " TRIGGER %I', t.oid::regclass, g.tgname) ELSE '' END FROM pg_trigger g"
                        + " JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                        + " WHERE n.nspname = ? AND NOT g.tgisinternal AND g.tgparentid = 0 ORDER BY g.oid",
                schema)) {
            emit(trigger);
        }
        for (String owned : list(
                "SELECT format('ALTER SEQUENCE %s OWNED BY %s.%I', s.oid::regclass, t.oid::regclass, a.attname)"
                        + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
                        + " JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid"
                        + " AND a.attnum = d.refobjsubid JOIN pg_namespace n ON n.oid = s.relnamespace"
                        + " WHERE n.nspname = ? AND d.classid = 'pg_class'::regclass AND d.deptype = 'a'"
                        + " ORDER BY s.oid",
                schema)) {
            emit(owned);
        }
        for (String rule : list(
                "SELECT rtrim(pg_get_ruledef(r.oid), ';') FROM pg_rewrite r JOIN pg_class t ON t.oid = r.ev_class"
                        + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND r.rulename <> '_RETURN'"
                        + " ORDER BY r.oid",
                schema)) {
            emit(rule);
        }
        for (String security : list(
                "SELECT format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', c.oid::regclass)"
                        + " || CASE WHEN c.relforcerowsecurity THEN format(';\nALTER TABLE %s FORCE ROW LEVEL"
                        + " SECURITY', c.oid::regclass) ELSE '' END FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relrowsecurity ORDER BY c.oid",
                schema)) {
            emit(security);
        }
        for (String policy : list(
                "SELECT format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', p.polname, c.oid::regclass,"
                        + " CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,"
                        + " CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'"
                        + " WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,"
                        + " (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END,"
                        + " ', ') FROM unnest(p.polroles) r),"
                        + " CASE WHEN p.polqual IS NOT NULL THEN ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')'"
                        + " ELSE '' END, CASE WHEN p.polwithcheck IS NOT NULL THEN ' WITH CHECK ('"
                        + " || pg_get_expr(p.polwithcheck, p.polrelid) || ')' ELSE '' END)"
                        + " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = ? ORDER BY p.oid",
                schema)) {
            emit(policy);
        }
        comments(schema);
    }

    private String createTable(String oid, boolean partition) throws SQLException {
        String name = one("SELECT " + oid + "::oid::regclass::text");
        StringBuilder sql = new StringBuilder("CREATE ")
                .append(one(
                        "SELECT CASE relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END FROM pg_class WHERE oid = "
                                + oid))
                .append("TABLE ")
                .append(name);
        List<String> parts = new ArrayList<>();
        if (partition) {
            sql.append(" PARTITION OF ")
                    .append(one("SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = " + oid));
        } else {
            parts.addAll(list("SELECT quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)"
                    + " || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation"
                    + " THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END"
                    + " || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin,"
                    + " d.adrelid) || ') STORED' WHEN a.attgenerated = 'v' THEN ' GENERATED ALWAYS AS ('"
                    + " || pg_get_expr(d.adbin, d.adrelid) || ') VIRTUAL' WHEN d.adbin IS NOT NULL"
                    + " THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END"
                    + " || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' WHEN 'd'"
                    + " THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END"
                    + " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
                    + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                    + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE a.attrelid = " + oid + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"));
        }
        // keys, uniques, checks and exclusions defined on this table itself (foreign keys come later)
        parts.addAll(list("SELECT format('CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint"
                + " WHERE conrelid = " + oid + " AND contype IN ('p', 'u', 'c', 'x') AND conislocal"
                + " AND conparentid = 0 ORDER BY contype = 'c', oid"));
        if (!parts.isEmpty()) {
            sql.append(" (\n    ").append(String.join(",\n    ", parts)).append("\n)");
        }
        if (partition) {
            sql.append(' ').append(one("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = " + oid));
        }
        if (!partition) {
            String inherits = one("SELECT string_agg(inhparent::regclass::text, ', ' ORDER BY inhseqno) FROM"
                    + " pg_inherits WHERE inhrelid = " + oid);
            if (inherits != null) {
                sql.append(" INHERITS (").append(inherits).append(')');
            }
        }
        String partitionKey = one(
                "SELECT CASE relkind WHEN 'p' THEN pg_get_partkeydef(oid) END FROM pg_class WHERE" + " oid = " + oid);
        if (partitionKey != null) {
            sql.append(" PARTITION BY ").append(partitionKey);
        }
        String options = one("SELECT array_to_string(reloptions, ', ') FROM pg_class WHERE oid = " + oid);
        if (options != null && !options.isEmpty()) {
            sql.append(" WITH (").append(options).append(')');
        }
        return sql.toString();
    }

    private void comments(String schema) throws SQLException {
        List<String> comments = list(
                "SELECT format('COMMENT ON %s IS %L', CASE"
                        + " WHEN d.classoid = 'pg_namespace'::regclass THEN 'SCHEMA ' || quote_ident(n.nspname)"
                        + " WHEN d.classoid = 'pg_class'::regclass AND d.objsubid > 0 THEN 'COLUMN ' || d.objoid::regclass"
                        + " || '.' || quote_ident((SELECT attname FROM pg_attribute WHERE attrelid = d.objoid AND attnum ="
                        + " d.objsubid))"
                        + " WHEN d.classoid = 'pg_class'::regclass THEN (SELECT CASE relkind WHEN 'v' THEN 'VIEW '"
                        + " WHEN 'm' THEN 'MATERIALIZED VIEW ' WHEN 'S' THEN 'SEQUENCE ' WHEN 'i' THEN 'INDEX '"
                        + " ELSE 'TABLE ' END FROM pg_class WHERE oid = d.objoid) || d.objoid::regclass"
                        + " WHEN d.classoid = 'pg_proc'::regclass THEN (SELECT CASE prokind WHEN 'p' THEN 'PROCEDURE '"
                        + " ELSE 'FUNCTION ' END FROM pg_proc WHERE oid = d.objoid) || d.objoid::regprocedure"
                        + " WHEN d.classoid = 'pg_type'::regclass THEN (SELECT CASE typtype WHEN 'd' THEN 'DOMAIN '"
                        + " ELSE 'TYPE ' END FROM pg_type WHERE oid = d.objoid) || d.objoid::regtype"
                        + " WHEN d.classoid = 'pg_constraint'::regclass THEN (SELECT format('CONSTRAINT %I ON %s',"
                        + " conname, conrelid::regclass) FROM pg_constraint WHERE oid = d.objoid AND conrelid <> 0)"
                        + " WHEN d.classoid = 'pg_trigger'::regclass THEN (SELECT format('TRIGGER %I ON %s', tgname,"
                        + " tgrelid::regclass) FROM pg_trigger WHERE oid = d.objoid) END, d.description)"
                        + " FROM pg_description d JOIN pg_namespace n ON n.nspname = ?"
                        + " WHERE d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid"
                        + " OR d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT oid FROM pg_class WHERE"
                        + " relnamespace = n.oid)"
                        + " OR d.classoid = 'pg_proc'::regclass AND d.objoid IN (SELECT oid FROM pg_proc WHERE"
                        + " pronamespace = n.oid)"
                        + " OR d.classoid = 'pg_type'::regclass AND d.objoid IN (SELECT oid FROM pg_type WHERE"
                        + " typnamespace = n.oid)"
                        + " OR d.classoid = 'pg_constraint'::regclass AND d.objoid IN (SELECT oid FROM pg_constraint"
                        + " WHERE connamespace = n.oid)"
                        + " OR d.classoid = 'pg_trigger'::regclass AND d.objoid IN (SELECT g.oid FROM pg_trigger g JOIN"
                        + " pg_class c ON c.oid = g.tgrelid WHERE c.relnamespace = n.oid)"
                        + " ORDER BY d.classoid, d.objoid, d.objsubid",
                schema);
        for (String comment : comments) {
            if (comment != null) {
                emit(comment);
            }
        }
    }

    private void section(String title) {
        out.append("\n-- ").append(title).append('\n');
    }

    private void emit(String statement) {
        out.append(statement).append(";\n");
    }

    private static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private String one(String sql, String... args) throws SQLException {
        List<String> values = list(sql, args);
        return values.isEmpty() ? null : values.get(0);
    }

    private List<String> list(String sql, String... args) throws SQLException {
        List<String> values = new ArrayList<>();
        for (String[] row : rows(sql, args)) {
            values.add(row[0]);
        }
        return values;
    }

    private List<String[]> rows(String sql, String... args) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setString(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = rs.getString(c + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
