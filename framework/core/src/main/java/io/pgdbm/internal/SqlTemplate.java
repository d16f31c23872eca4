package io.pgdbm.internal;

import io.pgdbm.IdentifierException;

/**
 * Expands pgdbm's schema templates, exactly as the Python pgdbm does:
 *
 * <ul>
 *   <li>{@code {{tables.t}}} becomes {@code "schema".t}, or {@code t} when there is no schema;
 *   <li>{@code {{tables.s.t}}} becomes {@code "s".t} whatever the manager's schema, or the schema {@code s}
 *       is mapped to (another module's canonical schema, rendered where that module was deployed);
 *   <li>{@code {{schema}}} becomes {@code "schema"}; without a schema, {@code {{schema}}.} and
 *       {@code {{schema}}} are dropped.
 * </ul>
 *
 * Every name is checked by {@link Identifiers} first. Other {@code {{…}}} text is left alone, as pgdbm
 * leaves it, so data that happens to contain braces is not disturbed. The table name stays unquoted (it
 * folds to lower case, like a name written by hand) unless it is a reserved word ({@code order}), which is
 * quoted in lower case; the schema is quoted.
 */
public final class SqlTemplate {
    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";
    private static final String TABLES = "tables.";
    private static final String SCHEMA = "schema";

    private SqlTemplate() {}

    /** Whether {@code sql} contains anything this class would rewrite. Cheap; used to skip work. */
    public static boolean hasTemplates(String sql) {
        return sql.contains(OPEN);
    }

    /**
     * Expands the templates of {@code sql} for {@code schema} (null: no schema).
     *
     * @throws IdentifierException when a template names an invalid identifier
     */
    public static String render(String sql, String schema) {
        return render(sql, schema, java.util.Map.of());
    }

    /**
     * Expands the templates of {@code sql} for {@code schema}, with {@code {{tables.s.t}}} rendered in
     * {@code schemas.get(s)} when {@code s} is mapped: another module's canonical schema, to wherever that
     * module's manager was deployed (the mappings of {@code DatabaseManager.withSchemaMapping}).
     *
     * @throws IdentifierException when a template names an invalid identifier
     */
    public static String render(String sql, String schema, java.util.Map<String, String> schemas) {
        int open = sql.indexOf(OPEN);
        if (open < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int copied = 0;
        while (open >= 0) {
            int close = sql.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                break;
            }
            String body = sql.substring(open + OPEN.length(), close);
            int end = close + CLOSE.length();
            String replacement;
            if (body.equals(SCHEMA)) {
                if (schema != null) {
                    replacement = Identifiers.quote(schema);
                } else {
                    replacement = "";
                    if (end < sql.length() && sql.charAt(end) == '.') {
                        end++;
                    }
                }
            } else if (body.startsWith(TABLES)) {
                replacement = renderTable(body.substring(TABLES.length()), schema, body, schemas);
            } else {
                rejectSpacedTemplate(body);
                replacement = null;
            }
            if (replacement == null) {
                open = sql.indexOf(OPEN, open + 1);
                continue;
            }
            out.append(sql, copied, open).append(replacement);
            copied = end;
            open = sql.indexOf(OPEN, end);
        }
        if (copied == 0) {
            return sql;
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    /**
     * Qualifies a table name the way {@code {{tables.…}}} does: {@code "t"} in {@code schema}, or an
     * explicit {@code "s.t"}. Both parts are validated.
     */
    public static String qualify(String table, String schema) {
        if (table == null) {
            throw new IdentifierException("table name is missing");
        }
        return renderTable(table, schema, "tables." + table, java.util.Map.of());
    }

    private static String renderTable(String path, String schema, String body, java.util.Map<String, String> schemas) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            Identifiers.require("table name in {{" + body + "}}", path);
            String table = Identifiers.tableName(path);
            return schema == null ? table : Identifiers.quote(schema) + '.' + table;
        }
        String explicitSchema = path.substring(0, dot);
        String table = path.substring(dot + 1);
        if (table.indexOf('.') >= 0) {
            throw new IdentifierException(
                    "template {{" + body + "}} has too many parts: write {{tables.table}} or {{tables.schema.table}}");
        }
        Identifiers.require("schema name in {{" + body + "}}", explicitSchema);
        Identifiers.require("table name in {{" + body + "}}", table);
        return Identifiers.quote(schemas.getOrDefault(explicitSchema, explicitSchema))
                + '.'
                + Identifiers.tableName(table);
    }

    /** {@code {{ tables.x }}} is almost certainly a typo; pgdbm would leave it in the SQL to fail later. */
    private static void rejectSpacedTemplate(String body) {
        String trimmed = body.strip();
        if (!trimmed.equals(body) && (trimmed.equals(SCHEMA) || trimmed.startsWith(TABLES))) {
            throw new IdentifierException(
                    "template {{" + body + "}} has spaces inside the braces: write {{" + trimmed + "}}");
        }
    }
}
