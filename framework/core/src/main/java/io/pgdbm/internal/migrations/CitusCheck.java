package io.pgdbm.internal.migrations;

import io.pgdbm.internal.SqlLexer;
import io.pgdbm.internal.SqlTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What in a module's migrations would stop Citus from distributing the module's schema (schema-based
 * sharding places a schema's tables together on one node): a foreign key to a table of another schema. Read
 * from the SQL as it runs (templates expanded for the schema and its mappings), token by token, so that
 * comments and string literals never count.
 */
public final class CitusCheck {
    private CitusCheck() {}

    /** One line per problem: {@code file:line: what and why}. */
    public static List<String> problems(List<MigrationFile> files, String schema, Map<String, String> mappings) {
        List<String> problems = new ArrayList<>();
        for (MigrationFile file : files) {
            String sql = SqlTemplate.render(file.sql(), schema, mappings);
            SqlLexer lexer = new SqlLexer(sql);
            while (lexer.next() != SqlLexer.Kind.END) {
                if (lexer.kind() != SqlLexer.Kind.WORD || !lexer.wordIs("references")) {
                    continue;
                }
                int at = lexer.start();
                if (!isName(lexer.next())) {
                    continue;
                }
                String first = name(lexer);
                lexer.next();
                if (!lexer.is(".")) {
                    continue; // unqualified: resolved in the migration's own schema
                }
                if (!isName(lexer.next())) {
                    continue;
                }
                String table = name(lexer);
                if (!first.equals(schema)) {
                    problems.add(file.fileName() + ":" + line(sql, at) + ": a foreign key references " + first + "."
                            + table + ", a table outside schema " + schema
                            + "; Citus keeps a distributed schema's tables together, so a foreign key may only"
                            + " reference tables of the same schema");
                }
            }
        }
        return problems;
    }

    private static boolean isName(SqlLexer.Kind kind) {
        return kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.QUOTED_IDENTIFIER;
    }

    /** An identifier as the server folds it: unquoted to lower case, quoted as written. */
    private static String name(SqlLexer lexer) {
        String text = lexer.text();
        if (lexer.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER) {
            return text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static int line(String sql, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
