package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgdbm.internal.StatementEffects;
import io.pgdbm.internal.migrations.MigrationFile;
import io.pgdbm.internal.migrations.MigrationSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * What the loader checks without lexing a whole file: the line a bad template name is reported on (only lines
 * with a template are looked at), and the look that lets a file skip the transaction-control check (a
 * statement that controls transactions names one of a few words).
 */
class MigrationLoadingPropertyTest {

    /** A line of a generated file. */
    enum Line {
        PLAIN("SELECT 1;"),
        BLANK(""),
        COMMENT("-- a comment, {{ not a template"),
        TEMPLATE("INSERT INTO {{tables.audit_log}} (note) VALUES ('x');"),
        TWO_TEMPLATES("SELECT * FROM {{tables.a}} JOIN {{tables.other.b}} USING (id);"),
        SCHEMA_TEMPLATE("CREATE INDEX i ON {{schema}}.t (id);"),
        OPEN_ONLY("SELECT '{{' AS braces;");

        final String text;

        Line(String text) {
            this.text = text;
        }
    }

    record File(List<Line> lines, int badAt, String badTemplate, String lineEnd) {}

    @Provide
    Arbitrary<File> files() {
        return Arbitraries.of(Line.class)
                .list()
                .ofMinSize(0)
                .ofMaxSize(12)
                .flatMap(lines -> Combinators.combine(
                                Arbitraries.integers().between(-1, lines.size()),
                                Arbitraries.of(
                                        "{{tables.bad name}}",
                                        "{{tables.x.y.z}}",
                                        "{{tables.}}",
                                        "{{tables.a\"b}}",
                                        "{{ tables.t }}"),
                                Arbitraries.of("\n", "\r\n", "\r"))
                        .as((badAt, bad, end) -> new File(lines, badAt, bad, end)));
    }

    @Property(tries = 400)
    void aBadTemplateIsReportedOnItsLine(@ForAll("files") File file) throws IOException {
        StringBuilder text = new StringBuilder("-- generated\n".replace("\n", file.lineEnd()));
        int line = 2;
        int badLine = -1;
        for (int i = 0; i <= file.lines().size(); i++) {
            if (i == file.badAt()) {
                text.append("SELECT * FROM ")
                        .append(file.badTemplate())
                        .append(';')
                        .append(file.lineEnd());
                badLine = line++;
            }
            if (i < file.lines().size()) {
                text.append(file.lines().get(i).text).append(file.lineEnd());
                line++;
            }
        }
        text.append("SELECT 2;");
        Path folder = Files.createTempDirectory("templates");
        Files.writeString(folder.resolve("001_t.sql"), text);
        Statistics.label("bad template").collect(badLine > 0);
        if (badLine < 0) {
            List<MigrationFile> loaded = MigrationSource.load(folder);
            assertThat(loaded).hasSize(1);
            return;
        }
        MigrationSource.InvalidMigrationsException refused = catchThrowableOfType(
                MigrationSource.InvalidMigrationsException.class, () -> MigrationSource.load(folder));
        assertThat(refused).as("%s", file).isNotNull();
        assertThat(refused.line()).as("%s", file).isEqualTo(badLine);
        assertThat(refused.getMessage()).startsWith("001_t.sql line " + badLine + ": ");
    }

    /** Words statements start with (every first word the classifier treats specially, and others), any case. */
    private static final List<String> FIRST_WORDS = List.of(
            "begin",
            "start transaction",
            "commit",
            "end",
            "abort",
            "rollback",
            "rollback to s",
            "prepare transaction 'x'",
            "prepare p as select 1",
            "commit prepared 'x'",
            "rollback prepared 'x'",
            "savepoint s",
            "release s",
            "set",
            "set local",
            "set transaction isolation level serializable",
            "reset",
            "listen",
            "discard",
            "do",
            "call",
            "execute",
            "create",
            "create temp",
            "insert",
            "select",
            "update",
            "delete",
            "with",
            "values",
            "lock",
            "truncate",
            "copy",
            "alter",
            "drop",
            "grant",
            "comment",
            "analyze",
            "vacuum",
            "checkpoint");

    @Provide
    Arbitrary<String> scripts() {
        Arbitrary<String> first = Arbitraries.of(FIRST_WORDS)
                .flatMap(word -> Arbitraries.of(Locale.ROOT, Locale.ENGLISH)
                        .flatMap(l -> Arbitraries.of(word, word.toUpperCase(l), capitalised(word))));
        Arbitrary<String> rest = Arbitraries.of(
                        " work",
                        " t",
                        " (id int)",
                        " 'commit; rollback'",
                        " -- end",
                        " /* begin */",
                        " $$ begin end $$",
                        " \"End\"",
                        " x.y",
                        "")
                .list()
                .ofMaxSize(3)
                .map(parts -> String.join("", parts));
        Arbitrary<String> prefix = Arbitraries.of("", "(", "  ", "\n", "/* c */ ");
        Arbitrary<String> statement = Combinators.combine(prefix, first, rest).as((p, f, r) -> p + f + r + ";");
        return statement.list().ofMinSize(1).ofMaxSize(5).map(statements -> String.join("\n", statements));
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    @Property(tries = 2_000)
    void aScriptWithoutTheWordsControlsNoTransaction(@ForAll("scripts") String sql) {
        boolean controls = (StatementEffects.of(sql, Set.of()) & StatementEffects.TRANSACTION_CONTROL) != 0;
        Statistics.label("controls transactions").collect(controls);
        if (controls) {
            assertThat(StatementEffects.mayControlTransactions(sql)).as(sql).isTrue();
        }
        Statistics.label("controls transactions")
                .coverage(coverage -> coverage.check(true).percentage(p -> p > 20));
    }
}
