package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class CopyRecordsTest {
    private static DatabaseManager db;

    @BeforeAll
    static void createTable(SharedPool pool) {
        db = pool.manager("copy");
        db.ensureSchema();
        db.execute("""
                CREATE TABLE {{tables.rows}} (
                    id int PRIMARY KEY, body text, amount numeric, day date, tags text[], blob bytea, uid uuid, ok boolean)""");
    }

    @BeforeEach
    void clean() {
        db.execute("TRUNCATE {{tables.rows}}");
    }

    @Test
    void hostileTextRoundTripsExactly() {
        List<String> hostile = List.of(
                "tab\there",
                "new\nline",
                "carriage\rreturn",
                "back\\slash",
                "\\N",
                "\\.",
                "quote ' and \" ",
                "emoji 😀 and ü and 中文",
                "",
                " leading and trailing ",
                "\\x00",
                "{a,b}",
                "NULL",
                "\u2028separator",
                "a\r\n\tb\\c");
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            rows.add(Arrays.asList(i, hostile.get(i)));
        }
        rows.add(Arrays.asList(hostile.size(), null));
        assertThat(db.copyRecords("rows", List.of("id", "body"), rows)).isEqualTo(rows.size());
        List<Record> stored = db.fetchAll("SELECT id, body FROM {{tables.rows}} ORDER BY id");
        for (int i = 0; i < hostile.size(); i++) {
            assertThat(stored.get(i).get("body", String.class)).as("row %d", i).isEqualTo(hostile.get(i));
        }
        assertThat(stored.get(hostile.size()).get("body")).isNull();
    }

    @Test
    void typedValuesArraysAndBytesRoundTrip() {
        UUID uid = UUID.randomUUID();
        byte[] blob = {0, 9, 10, 13, 92, (byte) 0xff};
        db.copyRecords(
                "copy.rows",
                List.of("id", "amount", "day", "tags", "blob", "uid", "ok"),
                List.of(List.of(
                        1,
                        new BigDecimal("1234.5600"),
                        LocalDate.of(2024, 12, 31),
                        Arrays.asList("x", "with space", "comma,here", "quote\"d", "back\\slash", null, "tab\t"),
                        blob,
                        uid,
                        true)));
        Record row = db.fetchOne("SELECT * FROM {{tables.rows}}").orElseThrow();
        assertThat(row.get("amount", BigDecimal.class)).isEqualByComparingTo("1234.56");
        assertThat(row.get("day", LocalDate.class)).isEqualTo(LocalDate.of(2024, 12, 31));
        assertThat(row.get("tags", String[].class))
                .containsExactly("x", "with space", "comma,here", "quote\"d", "back\\slash", null, "tab\t");
        assertThat(row.get("blob", byte[].class)).containsExactly(blob);
        assertThat(row.get("uid", UUID.class)).isEqualTo(uid);
        assertThat(row.get("ok", Boolean.class)).isTrue();
    }

    @Test
    void loadsManyRowsInChunks() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            rows.add(List.of(i, "row number " + i));
        }
        assertThat(db.copyRecords("rows", List.of("id", "body"), rows)).isEqualTo(50_000);
        assertThat(db.fetchValue(Long.class, "SELECT sum(id) FROM {{tables.rows}}"))
                .isEqualTo(49_999L * 50_000 / 2);
    }

    @Test
    void aBadRowLoadsNothing() {
        assertThatThrownBy(() -> db.copyRecords(
                        "rows", List.of("id", "body"), List.of(List.of(1, "ok"), List.of(2, "has\0nul"))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("row 2")
                .hasMessageContaining("NUL");
        assertThatThrownBy(() ->
                        db.copyRecords("rows", List.of("id", "body"), List.of(List.of(1, "ok"), List.of(1, "dup"))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("23505");
        assertThatThrownBy(() -> db.copyRecords("rows", List.of("id", "body"), List.of(List.of(1))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("1 values but 2 columns");
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.rows}}"))
                .isZero();
    }

    @Test
    void namesAreValidated() {
        assertThatThrownBy(() -> db.copyRecords("rows; drop table x", List.of("id"), List.of()))
                .isInstanceOf(IdentifierException.class);
        assertThatThrownBy(() -> db.copyRecords("rows", List.of("id\"); drop"), List.of()))
                .isInstanceOf(IdentifierException.class);
    }

    @Test
    void copyLoadsEveryDateExecuteBindsAndTheSameValue() {
        db.execute(
                "CREATE TABLE IF NOT EXISTS {{tables.dates}} (via text, d date, ts timestamp, tz timestamptz, t time)");
        db.execute("TRUNCATE {{tables.dates}}");
        List<List<Object>> values = List.of(
                List.of(
                        LocalDate.of(-43, 3, 15),
                        java.time.LocalDateTime.of(-43, 3, 15, 12, 0),
                        java.time.OffsetDateTime.of(-43, 3, 15, 12, 0, 0, 0, java.time.ZoneOffset.ofHours(2)),
                        java.time.LocalTime.of(23, 59, 59, 999_999_000)),
                List.of(
                        LocalDate.of(10000, 1, 1),
                        java.time.LocalDateTime.of(10000, 1, 1, 0, 0),
                        java.time.Instant.parse("+10000-01-01T00:00:00Z"),
                        java.time.LocalTime.MIDNIGHT),
                List.of(
                        LocalDate.MAX,
                        java.time.LocalDateTime.MAX,
                        java.time.OffsetDateTime.MAX,
                        java.time.LocalTime.NOON),
                List.of(
                        LocalDate.MIN,
                        java.time.LocalDateTime.MIN,
                        java.time.OffsetDateTime.MIN,
                        java.time.LocalTime.NOON));
        for (List<Object> row : values) {
            db.execute("INSERT INTO {{tables.dates}} VALUES ('execute', $1, $2, $3, $4)", row.toArray());
        }
        List<List<?>> copied = new ArrayList<>();
        for (List<Object> row : values) {
            List<Object> withVia = new ArrayList<>();
            withVia.add("copy");
            withVia.addAll(row);
            copied.add(withVia);
        }
        db.copyRecords("dates", List.of("via", "d", "ts", "tz", "t"), copied);
        List<String> executed = db.fetchAll(
                String.class,
                "SELECT d || ' ' || ts || ' ' || tz || ' ' || t FROM {{tables.dates}} WHERE via = 'execute' ORDER BY ctid");
        List<String> loaded = db.fetchAll(
                String.class,
                "SELECT d || ' ' || ts || ' ' || tz || ' ' || t FROM {{tables.dates}} WHERE via = 'copy' ORDER BY ctid");
        assertThat(loaded).isEqualTo(executed);
        assertThat(executed.get(0)).startsWith("0044-03-15 BC");
        assertThat(executed.get(2)).startsWith("infinity infinity infinity");
        assertThat(executed.get(3)).startsWith("-infinity -infinity -infinity");
    }

    @Test
    void aStringWithAnUnpairedSurrogateIsRefusedInEveryVerbNeverStoredAsAQuestionMark() {
        String cut = "emoji cut in half: \uD83D";
        assertThatThrownBy(() -> db.execute("INSERT INTO {{tables.rows}} (id, body) VALUES ($1, $2)", 1, cut))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("argument 2 contains an unpaired UTF-16 surrogate (U+D83D");
        assertThatThrownBy(() -> db.executeMany(
                        "INSERT INTO {{tables.rows}} (id, body) VALUES ($1, $2)",
                        List.of(List.of(2, "ok"), List.of(3, cut))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> db.copyRecords("rows", List.of("id", "body"), List.of(List.of(4, cut))))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("row 1, column body contains an unpaired UTF-16 surrogate")
                .hasMessageContaining("nothing was loaded");
        assertThatThrownBy(() ->
                        db.execute("INSERT INTO {{tables.rows}} (id, tags) VALUES ($1, $2)", 5, List.of("a", cut)))
                .isInstanceOf(QueryException.class);
        assertThatThrownBy(() -> db.execute("SELECT '" + cut + "'"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("The SQL contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> db.execute("SELECT $1::jsonb", org.jooq.JSONB.valueOf("\"\uDC00\"")))
                .isInstanceOf(QueryException.class);
        assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.rows}}"))
                .isZero();
        // a whole emoji is fine
        db.copyRecords("rows", List.of("id", "body"), List.of(List.of(6, "\uD83D\uDE00")));
        assertThat(db.fetchValue(String.class, "SELECT body FROM {{tables.rows}} WHERE id = 6"))
                .isEqualTo("\uD83D\uDE00");
    }

    @Test
    void anEmptyOrAllNullListFillsAnArrayColumnOfAnyType() {
        db.execute("CREATE TABLE IF NOT EXISTS {{tables.arrays}} (ints int[], days date[])");
        db.execute("INSERT INTO {{tables.arrays}} VALUES ($1, $2)", List.of(), Arrays.asList(null, null));
        db.copyRecords("arrays", List.of("ints", "days"), List.of(List.of(List.of(), Arrays.asList(null, null))));
        assertThat(db.fetchAll(String.class, "SELECT ints::text || ' ' || days::text FROM {{tables.arrays}}"))
                .containsExactly("{} {NULL,NULL}", "{} {NULL,NULL}");
    }
}
