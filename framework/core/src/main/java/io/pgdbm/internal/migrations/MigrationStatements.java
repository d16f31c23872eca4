package io.pgdbm.internal.migrations;

import io.pgdbm.internal.SqlLexer;
import io.pgdbm.internal.StatementEffects;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The statements of a transactional migration, read with the server's lexical rules, and what the file may
 * do with transactions. A file runs as one transaction, so:
 *
 * <ul>
 *   <li>a file wrapped in {@code BEGIN; … COMMIT;} (as pgdbm's {@code create_migration} writes it) runs its
 *       body in that one transaction: the wrapper is blanked out, keeping every line where it was;
 *   <li>any other statement that begins, commits or rolls back a transaction is refused before anything
 *       runs, naming its line: a {@code COMMIT} in the middle would keep the part before it even when a
 *       later statement fails.
 * </ul>
 */
final class MigrationStatements {
    private static final Set<String> BEGIN = Set.of("begin", "start");
    private static final Set<String> COMMIT = Set.of("commit", "end");

    private MigrationStatements() {}

    /** One statement: where it starts and ends (its ';' included), its first word, and its first line. */
    record Statement(int start, int end, String firstWord, int line, int effects) {}

    /**
     * The text to execute for a transactional migration: {@code text} itself, or with a {@code BEGIN …
     * COMMIT} wrapper blanked out.
     *
     * @throws MigrationSource.InvalidMigrationsException for any other transaction control, with its line
     */
    static String executable(String text, String fileName) {
        if (!StatementEffects.mayControlTransactions(text)) {
            return text; // no statement can begin or end a transaction: nothing to refuse, no wrapper
        }
        List<Statement> statements = split(text);
        int first = 0;
        int last = statements.size() - 1;
        boolean wrapped = last > 0
                && BEGIN.contains(statements.get(first).firstWord())
                && COMMIT.contains(statements.get(last).firstWord());
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            boolean wrapper = wrapped && (i == first || i == last);
            if (!wrapper && (statement.effects() & StatementEffects.TRANSACTION_CONTROL) != 0) {
                throw new MigrationSource.InvalidMigrationsException(
                        fileName + " line " + statement.line() + ": "
                                + statement.firstWord().toUpperCase(Locale.ROOT)
                                + " inside a migration that runs as one transaction would end that transaction part-way,"
                                + " keeping what ran before it even when a later statement fails. Remove it (the file"
                                + " is one transaction already; a whole file wrapped in BEGIN; … COMMIT; is fine), or"
                                + " make the file's first line -- pgdbm:no-transaction to run its statements one by"
                                + " one.",
                        fileName,
                        statement.line());
            }
        }
        if (!wrapped) {
            return text;
        }
        StringBuilder executable = new StringBuilder(text);
        blank(executable, statements.get(first));
        blank(executable, statements.get(last));
        return executable.toString();
    }

    /**
     * {@code sql} with {@code SCHEMA "<schema>"} added to each {@code CREATE EXTENSION} that names no schema:
     * an extension is shared by every module and tenant of the database, so it must not land in the schema a
     * migration happens to run in (where every other schema could not find it, and dropping that schema would
     * drop it). Extensions whose control file fixes their schema must name it themselves.
     */
    static String withExtensionsIn(String sql, String schema) {
        if (!containsIgnoreCase(sql, "extension")) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql);
        List<Statement> statements = split(sql);
        for (int i = statements.size() - 1; i >= 0; i--) {
            Statement statement = statements.get(i);
            if (!"create".equals(statement.firstWord())) {
                continue;
            }
            String text = sql.substring(statement.start(), statement.end());
            SqlLexer lexer = new SqlLexer(text);
            lexer.next(); // CREATE
            if (lexer.next() != SqlLexer.Kind.WORD || !lexer.wordIs("extension")) {
                continue;
            }
            boolean namesSchema = false;
            int insertAt = text.length();
            for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
                if (kind == SqlLexer.Kind.WORD && lexer.wordIs("schema")) {
                    namesSchema = true;
                }
                if (kind == SqlLexer.Kind.PUNCTUATION && lexer.is(";")) {
                    insertAt = lexer.start();
                }
            }
            if (!namesSchema) {
                out.insert(statement.start() + insertAt, " SCHEMA \"" + schema + "\"");
            }
        }
        return out.toString();
    }

    private static boolean containsIgnoreCase(String text, String word) {
        return text.toLowerCase(Locale.ROOT).contains(word);
    }

    /** Replaces a statement with spaces, keeping its line breaks so that later lines keep their numbers. */
    private static void blank(StringBuilder text, Statement statement) {
        for (int i = statement.start(); i < statement.end(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') {
                text.setCharAt(i, ' ');
            }
        }
    }

    /**
     * Splits {@code text} at top-level semicolons. Inline COPY data ({@code COPY … FROM STDIN;} followed by
     * rows up to a line {@code \.}) is skipped, as Flyway's parser skips it.
     */
    static List<Statement> split(String text) {
        List<Statement> statements = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(text);
        int start = -1;
        String firstWord = null;
        boolean copyFromStdin = false;
        String previousWord = null;
        for (SqlLexer.Kind kind = lexer.next(); ; kind = lexer.next()) {
            boolean end = kind == SqlLexer.Kind.END;
            if (end || lexer.endsStatement()) {
                if (start >= 0) {
                    int stop = end ? text.length() : lexer.end();
                    String statementText = text.substring(start, stop);
                    statements.add(new Statement(
                            start, stop, firstWord, lineOf(text, start), StatementEffects.of(statementText, Set.of())));
                    if (copyFromStdin && !end) {
                        lexer.seek(endOfCopyData(text, lexer.end()));
                    }
                }
                if (end) {
                    return statements;
                }
                start = -1;
                firstWord = null;
                previousWord = null;
                copyFromStdin = false;
                continue;
            }
            if (start < 0) {
                start = lexer.start();
                firstWord = kind == SqlLexer.Kind.WORD ? lexer.text().toLowerCase(Locale.ROOT) : "";
            }
            if (kind == SqlLexer.Kind.WORD) {
                if ("copy".equals(firstWord) && "from".equals(previousWord) && lexer.wordIs("stdin")) {
                    copyFromStdin = true;
                }
                previousWord = lexer.text().toLowerCase(Locale.ROOT);
            }
        }
    }

    private static int endOfCopyData(String text, int from) {
        int i = from;
        while (i < text.length()) {
            int lineEnd = text.indexOf('\n', i);
            String line = (lineEnd < 0 ? text.substring(i) : text.substring(i, lineEnd)).strip();
            if (line.equals("\\.")) {
                return lineEnd < 0 ? text.length() : lineEnd + 1;
            }
            if (lineEnd < 0) {
                return text.length();
            }
            i = lineEnd + 1;
        }
        return text.length();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                line++;
            }
        }
        return line;
    }
}
