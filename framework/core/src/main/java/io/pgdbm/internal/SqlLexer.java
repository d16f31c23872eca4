package io.pgdbm.internal;

/**
 * A cursor over the tokens of PostgreSQL SQL text, following the server's own lexical rules: {@code '…'}
 * strings (with {@code ''}), {@code E'…'} strings (with backslash escapes), {@code U&'…'} and {@code
 * B'…'}/{@code X'…'} strings, {@code "…"} identifiers, {@code $tag$…$tag$} bodies, {@code --} comments
 * (ended by a newline or a carriage return, as the server ends them) and nested block comments.
 *
 * <p>Comments and whitespace are skipped. Words are returned as they are written (not folded); {@link
 * #wordIs} compares them case-insensitively without allocating. An unterminated string, identifier or
 * comment runs to the end of the text, as the server would read it before failing.
 */
public final class SqlLexer {
    public enum Kind {
        /** An unquoted identifier or keyword. */
        WORD,
        /** A double-quoted identifier. */
        QUOTED_IDENTIFIER,
        /** A string literal of any form, including dollar-quoted bodies. */
        STRING,
        NUMBER,
        /** {@code $1 … $n}. */
        PARAMETER,
        /** One punctuation character: {@code ( ) [ ] , ; .} */
        PUNCTUATION,
        /** A run of operator characters ({@code ::}, {@code ->>}, {@code ?|}, …). */
        OPERATOR,
        END
    }

    private final String sql;
    private final int length;
    private int pos;
    private Kind kind;
    private int start;
    private int end;

    public SqlLexer(String sql) {
        this.sql = sql;
        this.length = sql.length();
    }

    /** Advances to the next token and returns its kind ({@link Kind#END} at the end of the text). */
    public Kind next() {
        skipSpaceAndComments();
        start = pos;
        if (pos >= length) {
            kind = Kind.END;
            end = pos;
            endsStatement = false;
            return kind;
        }
        char c = sql.charAt(pos);
        if (c == '\'') {
            pos = endOfQuoted(pos, '\'', false);
            kind = Kind.STRING;
        } else if (c == '"') {
            pos = endOfQuoted(pos, '"', false);
            kind = Kind.QUOTED_IDENTIFIER;
        } else if ((c == 'E' || c == 'e') && peek(1) == '\'') {
            pos = endOfQuoted(pos + 1, '\'', true);
            kind = Kind.STRING;
        } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && peek(1) == '\'') {
            pos = endOfQuoted(pos + 1, '\'', false);
            kind = Kind.STRING;
        } else if ((c == 'U' || c == 'u') && peek(1) == '&' && (peek(2) == '\'' || peek(2) == '"')) {
            char quote = peek(2);
            pos = endOfQuoted(pos + 2, quote, false);
            kind = quote == '\'' ? Kind.STRING : Kind.QUOTED_IDENTIFIER;
        } else if (c == '$') {
            dollar();
        } else if (isIdentifierStart(c)) {
            pos++;
            while (pos < length && isIdentifierPart(sql.charAt(pos))) {
                pos++;
            }
            kind = Kind.WORD;
        } else if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
            pos++;
            while (pos < length && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            kind = Kind.NUMBER;
        } else if ("()[],;.".indexOf(c) >= 0) {
            pos++;
            kind = Kind.PUNCTUATION;
        } else if (isOperatorChar(c)) {
            pos++;
            while (pos < length && isOperatorChar(sql.charAt(pos)) && !startsComment(pos)) {
                pos++;
            }
            kind = Kind.OPERATOR;
        } else {
            pos++;
            kind = Kind.OPERATOR;
        }
        end = pos;
        track();
        return kind;
    }

    // Where statements end: psql's rule. A semicolon ends a statement unless it is inside parentheses or inside
    // the body of CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC … END (where CASE … END nests too).
    private int parenDepth;
    private int bodyDepth;
    private int wordsInStatement;
    /** 0 deciding, 1 CREATE seen, 2 CREATE OR, 3 CREATE OR REPLACE, 4 a routine, -1 not a routine. */
    private int routine;

    private boolean endsStatement;

    private void track() {
        endsStatement = false;
        if (kind == Kind.PUNCTUATION) {
            char c = sql.charAt(start);
            if (c == '(') {
                parenDepth++;
            } else if (c == ')') {
                parenDepth = Math.max(0, parenDepth - 1);
            } else if (c == ';' && parenDepth == 0 && bodyDepth == 0) {
                endsStatement = true;
                wordsInStatement = 0;
                routine = 0;
            }
            return;
        }
        if (kind != Kind.WORD) {
            return;
        }
        if (wordsInStatement++ < 4 && routine >= 0 && routine < 4) {
            routine = switch (routine) {
                case 0 -> wordIs("create") ? 1 : -1;
                case 1 -> wordIs("function") || wordIs("procedure") ? 4 : wordIs("or") ? 2 : -1;
                case 2 -> wordIs("replace") ? 3 : -1;
                default -> wordIs("function") || wordIs("procedure") ? 4 : -1;
            };
            return;
        }
        if (routine == 4 && parenDepth == 0) {
            if (wordIs("begin") || (wordIs("case") && bodyDepth > 0)) {
                bodyDepth++;
            } else if (wordIs("end") && bodyDepth > 0) {
                bodyDepth--;
            }
        }
    }

    /**
     * Whether the current token is a semicolon that ends a statement: not one inside parentheses, nor one in the
     * body of a {@code CREATE FUNCTION … BEGIN ATOMIC … END} (the rule psql follows).
     */
    public boolean endsStatement() {
        return endsStatement;
    }

    /** Whether the current token is inside the {@code BEGIN … END} body of a {@code CREATE FUNCTION|PROCEDURE}. */
    public boolean inRoutineBody() {
        return bodyDepth > 0;
    }

    /** Continues lexing at {@code position} (for text that is not SQL, such as inline COPY data). */
    public void seek(int position) {
        pos = Math.min(position, length);
    }

    public Kind kind() {
        return kind;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public String text() {
        return sql.substring(start, end);
    }

    /** Whether the current token is the word {@code lowerCaseWord}, in any case. */
    public boolean wordIs(String lowerCaseWord) {
        return kind == Kind.WORD
                && end - start == lowerCaseWord.length()
                && sql.regionMatches(true, start, lowerCaseWord, 0, lowerCaseWord.length());
    }

    /** Whether the current token is the punctuation or operator {@code symbol}. */
    public boolean is(String symbol) {
        return (kind == Kind.PUNCTUATION || kind == Kind.OPERATOR)
                && end - start == symbol.length()
                && sql.startsWith(symbol, start);
    }

    /**
     * The identifier the current token names, as the server resolves it: unquoted words folded to lower
     * case, quoted identifiers unquoted. Null for other tokens.
     */
    String identifier() {
        if (kind == Kind.WORD) {
            return sql.substring(start, end).toLowerCase(java.util.Locale.ROOT);
        }
        if (kind == Kind.QUOTED_IDENTIFIER && sql.charAt(start) == '"' && end - start >= 2) {
            return sql.substring(start + 1, end - 1).replace("\"\"", "\"");
        }
        return null;
    }

    private void skipSpaceAndComments() {
        while (pos < length) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                pos = endOfLineComment(pos);
            } else if (c == '/' && peek(1) == '*') {
                pos = endOfBlockComment(pos);
            } else {
                return;
            }
        }
    }

    private boolean startsComment(int at) {
        char c = sql.charAt(at);
        char next = at + 1 < length ? sql.charAt(at + 1) : '\0';
        return (c == '-' && next == '-') || (c == '/' && next == '*');
    }

    private void dollar() {
        char next = peek(1);
        if (isDigit(next)) {
            pos++;
            while (pos < length && isDigit(sql.charAt(pos))) {
                pos++;
            }
            kind = Kind.PARAMETER;
            return;
        }
        int tagEnd = dollarTagEnd(sql, pos);
        if (tagEnd > 0) {
            String tag = sql.substring(pos, tagEnd);
            int close = sql.indexOf(tag, tagEnd);
            pos = close < 0 ? length : close + tag.length();
            kind = Kind.STRING;
            return;
        }
        pos++;
        kind = Kind.OPERATOR;
    }

    private char peek(int offset) {
        int i = pos + offset;
        return i < length ? sql.charAt(i) : '\0';
    }

    // ---- the lexical rules, shared with the placeholder translator ----

    /** The index just past a {@code --} comment that starts at {@code from}: at its newline or carriage return. */
    static int endOfLineComment(String sql, int from) {
        for (int i = from; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return sql.length();
    }

    private int endOfLineComment(int from) {
        return endOfLineComment(sql, from);
    }

    /** The index just past a (possibly nested) block comment that starts at {@code from}. */
    static int endOfBlockComment(String sql, int from) {
        int depth = 0;
        int i = from;
        int length = sql.length();
        while (i < length) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return length;
    }

    private int endOfBlockComment(int from) {
        return endOfBlockComment(sql, from);
    }

    /**
     * The index just past a quoted token whose opening quote is at {@code quoteAt}; a doubled quote stays
     * inside, and with {@code backslashEscapes} a backslash escapes the next character.
     */
    static int endOfQuoted(String sql, int quoteAt, char quote, boolean backslashEscapes) {
        int i = quoteAt + 1;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < length && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return length;
    }

    private int endOfQuoted(int quoteAt, char quote, boolean backslashEscapes) {
        return endOfQuoted(sql, quoteAt, quote, backslashEscapes);
    }

    /**
     * If a dollar-quote opening tag ({@code $$} or {@code $tag$}) starts at {@code at}, the index just
     * past it; else -1. The caller checks that the {@code $} does not continue an identifier.
     */
    static int dollarTagEnd(String sql, int at) {
        int length = sql.length();
        int i = at + 1;
        if (i < length && sql.charAt(i) == '$') {
            return i + 1;
        }
        if (i >= length || !isIdentifierStart(sql.charAt(i))) {
            return -1;
        }
        while (i < length && isTagPart(sql.charAt(i))) {
            i++;
        }
        return i < length && sql.charAt(i) == '$' ? i + 1 : -1;
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isTagPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isOperatorChar(char c) {
        return "+-*/<>=~!@#%^&|`?:".indexOf(c) >= 0;
    }
}
