package io.pgdbm.internal;

import io.pgdbm.QueryException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns pgdbm-style SQL into SQL that pgJDBC accepts.
 *
 * <p>Placeholders are {@code $1 … $n} (asyncpg style: may repeat and come in any order) or JDBC {@code
 * ?}; one statement uses one style. The scanner skips {@code '…'} strings (with {@code ''}), {@code E'…'}
 * strings (with backslash escapes), {@code "…"} identifiers, {@code $tag$…$tag$} bodies, {@code --}
 * comments and nested block comments, so nothing inside them is taken for a placeholder.
 *
 * <p>A question mark is read by its position. After an operand (a name that is not a keyword, a number,
 * a literal, a closing bracket or a placeholder) it is the JSONB operator {@code ?}, {@code ?|} or
 * {@code ?&}; where a value is expected (after an operator, an opening bracket, a comma or a keyword
 * such as {@code WHERE}, {@code AND}, {@code LIMIT}) it is a placeholder. {@code ??} is always the
 * operator, as in JDBC. Operators are sent to pgJDBC escaped as {@code ??}.
 */
public final class ParameterTranslator {
    /** PostgreSQL's wire protocol carries at most this many parameters in one statement. */
    private static final int MAX_PARAMETERS = 65_535;

    /**
     * Keywords directly after which a value, hence a placeholder, may stand ({@code WHERE ?}, {@code LIMIT
     * ?}, {@code ORDER BY ?}, {@code EXTRACT(YEAR FROM ?)}). Keywords that are always followed by something
     * else ({@code FILTER (…)}, {@code ROWS}) are not listed: a word like that before a {@code ?} is a column
     * name, and the {@code ?} is JSONB's operator.
     */
    private static final Set<String> VALUE_KEYWORDS = Set.of(
            "select",
            "where",
            "and",
            "or",
            "not",
            "limit",
            "offset",
            "then",
            "else",
            "when",
            "case",
            "on",
            "returning",
            "like",
            "ilike",
            "between",
            "by",
            "having",
            "distinct",
            "all",
            "any",
            "some",
            "escape",
            "from",
            "for",
            "symmetric",
            "asymmetric",
            "both",
            "leading",
            "trailing",
            "overlaps",
            "placing",
            "in");

    /** Keywords that take a value only after a particular word: FETCH FIRST ?, AT TIME ZONE ?, SIMILAR TO ?. */
    private static final java.util.Map<String, String> VALUE_KEYWORDS_AFTER = java.util.Map.of(
            "first", "fetch",
            "next", "fetch",
            "zone", "time",
            "to", "similar");

    private ParameterTranslator() {}

    /**
     * Translates {@code sql}.
     *
     * @throws QueryException when the statement mixes {@code $n} and {@code ?}, skips a number, uses
     *     {@code $0}, or has more placeholders than PostgreSQL allows
     */
    public static ParsedSql translate(String sql) {
        return new Scan(sql).run();
    }

    private static final class Scan {
        private final String sql;
        private final int length;
        private final StringBuilder out;
        private final List<Integer> dollarOrder = new ArrayList<>();
        private final BitSet dollarSeen = new BitSet();
        private int questionPlaceholders;
        private int pos;
        /** Whether the last significant token ends an operand (so a following '?' is an operator). */
        private boolean afterOperand;
        /** The last word, in lower case, when the last significant token was a word; else null. */
        private String lastWord;
        /** Whether the last significant token was a dot (so the next word is a qualified name's part). */
        private boolean afterDot;

        Scan(String sql) {
            this.sql = sql;
            this.length = sql.length();
            this.out = new StringBuilder(length + 8);
        }

        ParsedSql run() {
            while (pos < length) {
                char c = sql.charAt(pos);
                switch (c) {
                    case '\'' -> {
                        boolean escapes = pos > 0
                                && (sql.charAt(pos - 1) == 'E' || sql.charAt(pos - 1) == 'e')
                                && (pos < 2 || !isIdentifierPart(sql.charAt(pos - 2)));
                        copyQuoted('\'', escapes);
                        afterOperand = true;
                        lastWord = null;
                        afterDot = false;
                    }
                    case '"' -> {
                        copyQuoted('"', false);
                        afterOperand = true;
                        lastWord = null;
                        afterDot = false;
                    }
                    case '$' -> dollar();
                    case '-' -> {
                        if (peek(1) == '-') {
                            copyLineComment();
                        } else {
                            operator(c);
                        }
                    }
                    case '/' -> {
                        if (peek(1) == '*') {
                            copyBlockComment();
                        } else {
                            operator(c);
                        }
                    }
                    case '?' -> question();
                    case ')', ']' -> {
                        out.append(c);
                        pos++;
                        afterOperand = true;
                        lastWord = null;
                        afterDot = false;
                    }
                    default -> {
                        if (Character.isWhitespace(c)) {
                            out.append(c);
                            pos++;
                        } else if (isIdentifierStart(c)) {
                            word();
                        } else if (c >= '0' && c <= '9') {
                            number();
                        } else {
                            operator(c);
                        }
                    }
                }
            }
            return finish();
        }

        private ParsedSql finish() {
            if (!dollarOrder.isEmpty() && questionPlaceholders > 0) {
                throw error("statement mixes $n and ? placeholders; use one style ($1, $2, … is pgdbm's)");
            }
            if (!dollarOrder.isEmpty()) {
                int highest = dollarSeen.length() - 1;
                int missing = dollarSeen.nextClearBit(1);
                if (missing < highest) {
                    throw error("placeholder $" + missing + " is never used, but $" + highest
                            + " is; number placeholders $1…$n without gaps");
                }
                int[] order = new int[dollarOrder.size()];
                for (int i = 0; i < order.length; i++) {
                    order[i] = dollarOrder.get(i) - 1;
                }
                return new ParsedSql(out.toString(), order, highest);
            }
            int[] order = new int[questionPlaceholders];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            return new ParsedSql(out.toString(), order, questionPlaceholders);
        }

        private void dollar() {
            char next = peek(1);
            boolean standalone = pos == 0 || !isIdentifierPart(sql.charAt(pos - 1));
            if (standalone && next >= '0' && next <= '9') {
                int end = pos + 1;
                while (end < length && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                String digits = sql.substring(pos + 1, end);
                int number = digits.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(digits);
                if (number == 0) {
                    throw error("placeholder $0 is not allowed; placeholders start at $1");
                }
                if (number > MAX_PARAMETERS) {
                    throw error("placeholder $" + digits + " is beyond PostgreSQL's limit of " + MAX_PARAMETERS
                            + " parameters");
                }
                dollarOrder.add(number);
                dollarSeen.set(number);
                out.append('?');
                pos = end;
                afterOperand = true;
                lastWord = null;
                afterDot = false;
                return;
            }
            if (standalone) {
                int tagEnd = dollarTagEnd();
                if (tagEnd > 0) {
                    String tag = sql.substring(pos, tagEnd);
                    int close = sql.indexOf(tag, tagEnd);
                    int end = close < 0 ? length : close + tag.length();
                    out.append(sql, pos, end);
                    pos = end;
                    afterOperand = true;
                    lastWord = null;
                    afterDot = false;
                    return;
                }
            }
            out.append('$');
            pos++;
        }

        /** If a dollar-quote opening tag starts at pos, the index just past it; else -1. */
        private int dollarTagEnd() {
            return SqlLexer.dollarTagEnd(sql, pos);
        }

        private void question() {
            char next = peek(1);
            if (next == '?') {
                // JDBC's explicit escape for a literal question mark: keep it for pgJDBC.
                out.append("??");
                pos += 2;
                afterOperand = false;
                lastWord = null;
                afterDot = false;
                return;
            }
            if (afterOperand) {
                out.append("??");
                pos++;
                if (next == '|' || next == '&') {
                    out.append(next);
                    pos++;
                }
                afterOperand = false;
                lastWord = null;
                afterDot = false;
                return;
            }
            questionPlaceholders++;
            if (questionPlaceholders > MAX_PARAMETERS) {
                throw error("statement has more than " + MAX_PARAMETERS + " placeholders, PostgreSQL's limit");
            }
            out.append('?');
            pos++;
            afterOperand = true;
            lastWord = null;
            afterDot = false;
        }

        private void word() {
            int end = pos + 1;
            while (end < length && isIdentifierPart(sql.charAt(end))) {
                end++;
            }
            String word = sql.substring(pos, end);
            out.append(word);
            pos = end;
            String lower = word.toLowerCase(Locale.ROOT);
            String needs = VALUE_KEYWORDS_AFTER.get(lower);
            boolean keyword = needs != null ? needs.equals(lastWord) : VALUE_KEYWORDS.contains(lower);
            // after a dot the word is part of a name (d.rows), never a keyword
            afterOperand = afterDot || !keyword;
            lastWord = lower;
            afterDot = false;
        }

        private void number() {
            int end = pos + 1;
            while (end < length && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                end++;
            }
            out.append(sql, pos, end);
            pos = end;
            afterOperand = true;
            lastWord = null;
            afterDot = false;
        }

        private void operator(char c) {
            out.append(c);
            pos++;
            afterOperand = false;
            lastWord = null;
            afterDot = c == '.';
        }

        private void copyQuoted(char quote, boolean backslashEscapes) {
            int end = SqlLexer.endOfQuoted(sql, pos, quote, backslashEscapes);
            out.append(sql, pos, end);
            pos = end;
        }

        /** A {@code --} comment ends at a newline or a carriage return, as the server ends it. */
        private void copyLineComment() {
            int end = SqlLexer.endOfLineComment(sql, pos);
            out.append(sql, pos, end);
            pos = end;
        }

        private void copyBlockComment() {
            int end = SqlLexer.endOfBlockComment(sql, pos);
            out.append(sql, pos, end);
            pos = end;
        }

        private char peek(int offset) {
            int i = pos + offset;
            return i < length ? sql.charAt(i) : '\0';
        }

        private QueryException error(String message) {
            return new QueryException(message, null, Masking.truncateSql(sql), List.of(), null);
        }
    }

    static boolean isIdentifierStart(char c) {
        return SqlLexer.isIdentifierStart(c);
    }

    static boolean isIdentifierPart(char c) {
        return SqlLexer.isIdentifierPart(c);
    }
}
