package io.pgdbm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a statement may do beyond its own transaction, read from its text (callers cache the answer per
 * statement): change the session's state, or start or end a transaction.
 *
 * <p>The rule is conservative: whatever might leave state behind counts. {@code SET} (but not {@code SET
 * LOCAL}), {@code RESET}, {@code set_config(…)} unless its third argument is the literal {@code true},
 * session advisory locks, {@code LISTEN}, cursors, temporary tables and {@code pg_temp} are {@link
 * #SESSION}; {@code PREPARE}, {@code LOAD}, {@code DO}, {@code CALL} and a call of any function that is not
 * one of the server's built-ins are {@link #UNKNOWN}. State changed by a function the text does not name
 * (a trigger, a column default, a view) cannot be seen here.
 */
public final class StatementEffects {
    /** Nothing outlives the statement's transaction. */
    public static final int NONE = 0;
    /** Changes session state that a reset undoes ({@code SET}, locks, listeners, temporary tables). */
    public static final int SESSION = 1;
    /** May change anything, server-side prepared statements included: reset everything. */
    public static final int UNKNOWN = 2;
    /** Starts, ends or prepares a transaction ({@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, …). */
    public static final int TRANSACTION_CONTROL = 4;

    /** Built-in functions that keep state in the session beyond the transaction. */
    private static final Set<String> SESSION_FUNCTIONS = Set.of(
            "pg_advisory_lock",
            "pg_advisory_lock_shared",
            "pg_try_advisory_lock",
            "pg_try_advisory_lock_shared",
            "pg_advisory_unlock",
            "pg_advisory_unlock_shared",
            "pg_advisory_unlock_all",
            "setseed");

    /**
     * Keywords that a parenthesis may follow without making a call: clauses ({@code IN (…)}, {@code
     * OVER (…)}) and the grammar's own function-like constructs ({@code COALESCE(…)}, {@code EXTRACT(…)}),
     * which are not functions in {@code pg_proc}.
     */
    private static final Set<String> NOT_CALLS = Set.of(
            "all",
            "and",
            "any",
            "array",
            "as",
            "between",
            "by",
            "case",
            "cast",
            "check",
            "coalesce",
            "collation",
            "conflict",
            "constraint",
            "cube",
            "current_time",
            "current_timestamp",
            "default",
            "distinct",
            "else",
            "except",
            "exclude",
            "exists",
            "extract",
            "filter",
            "for",
            "from",
            "greatest",
            "group",
            "grouping",
            "having",
            "in",
            "include",
            "intersect",
            "into",
            "is",
            "join",
            "json",
            "json_array",
            "json_arrayagg",
            "json_exists",
            "json_object",
            "json_objectagg",
            "json_query",
            "json_scalar",
            "json_serialize",
            "json_table",
            "json_value",
            "key",
            "lateral",
            "least",
            "like",
            "ilike",
            "limit",
            "localtime",
            "localtimestamp",
            "merge_action",
            "normalize",
            "not",
            "nullif",
            "offset",
            "on",
            "only",
            "or",
            "over",
            "overlay",
            "partition",
            "position",
            "primary",
            "range",
            "references",
            "returning",
            "rollup",
            "row",
            "rows",
            "select",
            "set",
            "sets",
            "similar",
            "some",
            "substring",
            "table",
            "tablesample",
            "then",
            "treat",
            "trim",
            "union",
            "unique",
            "using",
            "values",
            "when",
            "where",
            "window",
            "with",
            "within",
            "xmlattributes",
            "xmlconcat",
            "xmlelement",
            "xmlexists",
            "xmlforest",
            "xmlparse",
            "xmlpi",
            "xmlroot",
            "xmlserialize",
            "xmltable",
            "if",
            "elsif",
            "return",
            "perform");

    /** Keywords after which a value, and so a function call, may start. */
    private static final Set<String> VALUE_CONTEXT = Set.of(
            "select",
            "where",
            "and",
            "or",
            "not",
            "from",
            "join",
            "lateral",
            "on",
            "by",
            "then",
            "else",
            "when",
            "returning",
            "values",
            "in",
            "between",
            "like",
            "ilike",
            "similar",
            "distinct",
            "all",
            "any",
            "some",
            "is",
            "case",
            "limit",
            "offset",
            "having",
            "default",
            "escape",
            "zone",
            "at",
            "symmetric",
            "asymmetric");

    private StatementEffects() {}

    /** One token, with identifiers folded as the server folds them. */
    private record Token(SqlLexer.Kind kind, String text) {
        boolean isWord(String word) {
            return kind == SqlLexer.Kind.WORD && text.equals(word);
        }

        boolean isSymbol(String symbol) {
            return (kind == SqlLexer.Kind.PUNCTUATION || kind == SqlLexer.Kind.OPERATOR) && text.equals(symbol);
        }

        boolean isName() {
            return kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.QUOTED_IDENTIFIER;
        }
    }

    /**
     * The first words of every statement {@link #of} reads as {@link #TRANSACTION_CONTROL} (see
     * {@code leadingKeywordEffects}); keep the two together.
     */
    private static final List<String> TRANSACTION_CONTROL_WORDS =
            List.of("begin", "start", "commit", "end", "abort", "rollback", "prepare");

    /**
     * False only when no statement of {@code sql} can control transactions: none of the words such a statement
     * starts with appears anywhere in it, in any case. A cheap look before lexing; true says nothing.
     */
    public static boolean mayControlTransactions(String sql) {
        String lower = sql.toLowerCase(java.util.Locale.ROOT);
        for (String word : TRANSACTION_CONTROL_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Classifies {@code sql} (one statement or several).
     *
     * @param builtins names of the server's built-in functions, in lower case; calling any other function
     *     counts as {@link #UNKNOWN}
     */
    public static int of(String sql, Set<String> builtins) {
        if (sql == null || sql.isEmpty()) {
            return NONE;
        }
        int effects = NONE;
        List<Token> statement = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        for (SqlLexer.Kind kind = lexer.next(); ; kind = lexer.next()) {
            if (kind == SqlLexer.Kind.END || lexer.endsStatement()) {
                effects |= statementEffects(statement, builtins);
                statement.clear();
                if (kind == SqlLexer.Kind.END) {
                    return effects;
                }
                continue;
            }
            String text = kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.QUOTED_IDENTIFIER
                    ? lexer.identifier()
                    : kind == SqlLexer.Kind.PUNCTUATION || kind == SqlLexer.Kind.OPERATOR ? lexer.text() : "";
            statement.add(new Token(kind, text));
        }
    }

    private static int statementEffects(List<Token> tokens, Set<String> builtins) {
        int first = 0;
        while (first < tokens.size() && tokens.get(first).isSymbol("(")) {
            first++;
        }
        if (first >= tokens.size()) {
            return NONE;
        }
        int effects = leadingKeywordEffects(tokens, first);
        boolean createIndex = tokens.get(first).isWord("create") && contains(tokens, first + 1, first + 4, "index");
        for (int i = first; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isName() && token.text().startsWith("pg_temp")) {
                effects |= SESSION;
            } else if (token.isWord("into")
                    && (contains(tokens, i + 1, i + 3, "temp") || contains(tokens, i + 1, i + 3, "temporary"))) {
                // SELECT … INTO [LOCAL | GLOBAL] TEMP[ORARY] t
                effects |= SESSION;
            } else if (token.isSymbol("(") && i > first && tokens.get(i - 1).isName()) {
                effects |= callEffects(tokens, i, createIndex, builtins);
            }
        }
        return effects;
    }

    /** Effects decided by the statement's first words. */
    private static int leadingKeywordEffects(List<Token> tokens, int first) {
        Token head = tokens.get(first);
        if (head.kind() != SqlLexer.Kind.WORD) {
            return NONE;
        }
        Token second = first + 1 < tokens.size() ? tokens.get(first + 1) : null;
        return switch (head.text()) {
            case "set" ->
                second != null
                                && (second.isWord("local")
                                        || second.isWord("transaction")
                                        || second.isWord("constraints"))
                        ? NONE
                        : SESSION;
            case "reset", "listen", "unlisten", "discard", "declare" -> SESSION;
            case "prepare" -> second != null && second.isWord("transaction") ? TRANSACTION_CONTROL : UNKNOWN;
            case "load", "do", "call", "execute", "deallocate" -> UNKNOWN;
            case "begin", "start", "commit", "end", "abort" -> TRANSACTION_CONTROL;
            case "rollback" -> second != null && second.isWord("to") ? NONE : TRANSACTION_CONTROL;
            case "create" ->
                contains(tokens, first + 1, first + 4, "temp") || contains(tokens, first + 1, first + 4, "temporary")
                        ? SESSION
                        : NONE;
            default -> NONE;
        };
    }

    private static boolean contains(List<Token> tokens, int from, int to, String word) {
        for (int i = from; i < Math.min(to, tokens.size()); i++) {
            if (tokens.get(i).isWord(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Effects of {@code name(} at {@code open} (the parenthesis): a call when the name stands where a value
     * may start, nothing when it is a keyword, a type modifier, a relation or an alias's column list.
     */
    private static int callEffects(List<Token> tokens, int open, boolean createIndex, Set<String> builtins) {
        Token name = tokens.get(open - 1);
        if (name.kind() == SqlLexer.Kind.WORD && NOT_CALLS.contains(name.text())) {
            return NONE;
        }
        int nameStart = open - 1;
        String schema = null;
        if (nameStart >= 2
                && tokens.get(nameStart - 1).isSymbol(".")
                && tokens.get(nameStart - 2).isName()) {
            schema = tokens.get(nameStart - 2).text();
            nameStart -= 2;
        }
        if (!standsForValue(tokens, nameStart, createIndex)) {
            return NONE;
        }
        if (schema != null && !schema.equals("pg_catalog")) {
            return UNKNOWN;
        }
        String function = name.text();
        if (function.equals("set_config")) {
            return lastArgumentIsTrue(tokens, open) ? NONE : SESSION;
        }
        if (SESSION_FUNCTIONS.contains(function)) {
            return SESSION;
        }
        return builtins.contains(function) ? NONE : UNKNOWN;
    }

    /** Whether a name starting at {@code index} stands where an expression may start. */
    private static boolean standsForValue(List<Token> tokens, int index, boolean createIndex) {
        if (index == 0) {
            return true;
        }
        Token before = tokens.get(index - 1);
        return switch (before.kind()) {
            case PUNCTUATION -> before.isSymbol("(") || before.isSymbol(",") || before.isSymbol("[");
            case OPERATOR -> !before.isSymbol("::");
            case WORD -> VALUE_CONTEXT.contains(before.text()) && !(createIndex && before.isWord("on"));
            default -> false;
        };
    }

    /** Whether the argument list opening at {@code open} ends with the single literal {@code true}. */
    private static boolean lastArgumentIsTrue(List<Token> tokens, int open) {
        int depth = 0;
        int argumentStart = open + 1;
        for (int i = open + 1; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isSymbol("(") || token.isSymbol("[")) {
                depth++;
            } else if (token.isSymbol(")") || token.isSymbol("]")) {
                if (depth == 0) {
                    return i == argumentStart + 1 && tokens.get(argumentStart).isWord("true");
                }
                depth--;
            } else if (depth == 0 && token.isSymbol(",")) {
                argumentStart = i + 1;
            }
        }
        return false;
    }
}
