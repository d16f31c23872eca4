package io.pgdbm.internal;

import io.pgdbm.IdentifierException;

/**
 * The one rule for names that pgdbm puts into SQL text: {@code [A-Za-z_][A-Za-z0-9_]*}, at most 63
 * characters. Anything that passes can be emitted unquoted or double-quoted without escaping, so no
 * name can break out of its place in a statement.
 */
public final class Identifiers {
    /** PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes. */
    public static final int MAX_LENGTH = 63;

    private Identifiers() {}

    /** Whether {@code name} satisfies the identifier rule. */
    public static boolean isValid(String name) {
        return reason(name) == null;
    }

    /**
     * Returns {@code name} if it is a valid identifier, else throws an {@link IdentifierException} whose
     * message names the {@code kind} of name (e.g. "schema name") and what is wrong with it.
     */
    public static String require(String kind, String name) {
        String reason = reason(name);
        if (reason != null) {
            throw new IdentifierException(kind + " " + describe(name) + " is not a valid identifier: " + reason
                    + ". Use letters, digits and underscores, starting with a letter or underscore, at most "
                    + MAX_LENGTH + " characters.");
        }
        return name;
    }

    /**
     * {@link #require}, and also refuses names PostgreSQL keeps for itself: {@code pg_…} (the server refuses to
     * create them, and {@code pg_temp} is each connection's own temporary schema, {@code pg_catalog} the
     * system's) and {@code information_schema}. For the schema of a manager, a tenant or a mapping.
     */
    public static String requireSchema(String kind, String name) {
        require(kind, name);
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("pg_") || lower.equals("information_schema")) {
            throw new IdentifierException(kind + " '" + name + "' is a name PostgreSQL keeps for itself"
                    + (lower.startsWith("pg_temp") ? " (each connection's own temporary schema)" : "")
                    + ": schemas starting with pg_ and information_schema cannot hold a module or a tenant."
                    + " Choose another name.");
        }
        return name;
    }

    /**
     * PostgreSQL's reserved keywords (and those reserved as table names: {@code left}, {@code join}, …),
     * which cannot name a table unquoted. From {@code pg_get_keywords()}, categories R and T.
     */
    private static final java.util.Set<String> RESERVED = java.util.Set.of(
            "all",
            "analyse",
            "analyze",
            "and",
            "any",
            "array",
            "as",
            "asc",
            "asymmetric",
            "authorization",
            "binary",
            "both",
            "case",
            "cast",
            "check",
            "collate",
            "collation",
            "column",
            "concurrently",
            "constraint",
            "create",
            "cross",
            "current_catalog",
            "current_date",
            "current_role",
            "current_schema",
            "current_time",
            "current_timestamp",
            "current_user",
            "default",
            "deferrable",
            "desc",
            "distinct",
            "do",
            "else",
            "end",
            "except",
            "false",
            "fetch",
            "for",
            "foreign",
            "freeze",
            "from",
            "full",
            "grant",
            "group",
            "having",
            "ilike",
            "in",
            "initially",
            "inner",
            "intersect",
            "into",
            "is",
            "isnull",
            "join",
            "lateral",
            "leading",
            "left",
            "like",
            "limit",
            "localtime",
            "localtimestamp",
            "natural",
            "not",
            "notnull",
            "null",
            "offset",
            "on",
            "only",
            "or",
            "order",
            "outer",
            "overlaps",
            "placing",
            "primary",
            "references",
            "returning",
            "right",
            "select",
            "session_user",
            "similar",
            "some",
            "symmetric",
            "system_user",
            "table",
            "tablesample",
            "then",
            "to",
            "trailing",
            "true",
            "union",
            "unique",
            "user",
            "using",
            "variadic",
            "verbose",
            "when",
            "where",
            "window",
            "with");

    /**
     * A valid table name as it appears in SQL: unquoted (folding to lower case, like a name written by
     * hand), or, for a reserved word such as {@code order}, double-quoted in lower case — the same table.
     */
    public static String tableName(String validName) {
        String lower = validName.toLowerCase(java.util.Locale.ROOT);
        return RESERVED.contains(lower) ? '"' + lower + '"' : validName;
    }

    /** Double-quotes a name that has already passed {@link #require}. */
    public static String quote(String validName) {
        return '"' + validName + '"';
    }

    private static String describe(String name) {
        if (name == null) {
            return "(null)";
        }
        String shown = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    private static String reason(String name) {
        if (name == null) {
            return "it is missing";
        }
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "it has " + name.length() + " characters, more than PostgreSQL's limit of " + MAX_LENGTH;
        }
        char first = name.charAt(0);
        if (!isStart(first)) {
            return first >= '0' && first <= '9' ? "it starts with a digit" : "it starts with " + describeChar(first);
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isStart(c) && !(c >= '0' && c <= '9')) {
                return "it contains " + describeChar(c) + " at position " + (i + 1);
            }
        }
        return null;
    }

    private static boolean isStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static String describeChar(char c) {
        return switch (c) {
            case ' ' -> "a space";
            case '\t' -> "a tab";
            case '\n', '\r' -> "a line break";
            case '"' -> "a double quote";
            case '\'' -> "a single quote";
            case ';' -> "a semicolon";
            case '-' -> "a hyphen";
            case '.' -> "a dot";
            default -> c < 0x20 || c > 0x7e ? String.format("the character U+%04X", (int) c) : "'" + c + "'";
        };
    }
}
