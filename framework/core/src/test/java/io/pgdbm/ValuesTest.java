package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A value reaches Java only in a type that holds it exactly; anything else is a QueryException saying why. */
@ExtendWith(PostgresExtension.class)
class ValuesTest {
    private static DatabaseManager db;

    @BeforeAll
    static void manager(SharedPool pool) {
        db = pool.manager();
    }

    public record Row(int a, String b) {}

    public record Tagged(long id, List<String> tags, Set<Integer> scores) {}

    public record CreatedAt(long id, OffsetDateTime createdAt) {}

    public record WithMissing(int a, int absent) {}

    /** A mutable class: properties without a column keep their defaults, as jOOQ maps POJOs. */
    public static class Bean {
        public int a;
        public String b;
        public int untouched = 7;
    }

    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "SELECT 3000000000::bigint             | java.lang.Integer   | out of range",
                "SELECT 70000                          | java.lang.Short     | out of range",
                "SELECT 'abc'                          | java.lang.Integer   | does not fit Integer",
                "SELECT 2.5::numeric                   | java.lang.Integer   | not a whole number",
                "SELECT 2.5::float8                    | java.lang.Long      | not a whole number",
                "SELECT 1e20::numeric                  | java.lang.Long      | out of range",
                "SELECT 'NaN'::float8                  | java.lang.Long      | not a finite number",
                "SELECT 'infinity'::float8             | java.lang.Integer   | not a finite number",
                "SELECT 1e300::float8                  | java.lang.Float     | out of range",
                "SELECT 1e400::numeric                 | java.lang.Double    | out of range",
                "SELECT 1e-400::numeric                | java.lang.Double    | out of range",
                "SELECT 2.5                            | java.math.BigInteger | not a whole number",
                "SELECT 'abc'                          | java.lang.Boolean   | does not fit Boolean",
                "SELECT 2                              | java.lang.Boolean   | does not fit Boolean",
                "SELECT true                           | java.lang.Integer   | does not fit Integer",
                "SELECT 'abc'                          | java.lang.Character | exactly one character",
                "SELECT 'not-a-uuid'                   | java.util.UUID      | does not fit UUID",
                "SELECT '2024-01-01 10:00'::timestamp  | java.time.LocalDate | time of day",
                "SELECT '2024-01-01 10:00Z'::timestamptz | java.time.LocalDate | time of day",
                "SELECT 'abc'                          | [B                  | bytea",
                "SELECT '{1,2}'::int[]                 | java.lang.Long      | array",
                "SELECT '{1,3000000000}'::bigint[]     | [Ljava.lang.Integer; | element 2",
                "SELECT NULL::int                      | int                 | primitive int",
            })
    void aValueThatDoesNotFitItsTypeIsAnErrorNamingColumnTypeAndStatement(String sql, String type, String reason)
            throws Exception {
        Class<?> target = switch (type) {
            case "int" -> int.class;
            default -> Class.forName(type);
        };
        assertThatThrownBy(() -> db.fetchValue(target, sql))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("fetchValue(" + target.getSimpleName() + ".class")
                .hasMessageContaining("SQL: " + sql)
                .satisfies(e -> assertThat(((QueryException) e).sql()).contains(sql));
    }

    @Test
    void valuesThatFitComeBackExactly() {
        assertThat(db.fetchValue(Integer.class, "SELECT 2147483647::bigint")).isEqualTo(Integer.MAX_VALUE);
        assertThat(db.fetchValue(Short.class, "SELECT -32768")).isEqualTo(Short.MIN_VALUE);
        assertThat(db.fetchValue(Long.class, "SELECT 4.000::numeric")).isEqualTo(4L);
        assertThat(db.fetchValue(Integer.class, "SELECT '42'")).isEqualTo(42);
        assertThat(db.fetchValue(BigInteger.class, "SELECT 12345678901234567890123::numeric"))
                .isEqualTo(new BigInteger("12345678901234567890123"));
        assertThat(db.fetchValue(BigDecimal.class, "SELECT 0.1::float8")).isEqualByComparingTo("0.1");
        assertThat(db.fetchValue(Double.class, "SELECT avg(x) FROM (VALUES (1), (2), (2)) v(x)"))
                .isCloseTo(5.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(db.fetchValue(Double.class, "SELECT 'infinity'::float8")).isInfinite();
        assertThat(db.fetchValue(Boolean.class, "SELECT 't'")).isTrue();
        assertThat(db.fetchValue(String.class, "SELECT 42")).isEqualTo("42");
        assertThat(db.fetchValue(UUID.class, "SELECT '3f2504e0-4f89-11d3-9a0c-0305e82c3301'"))
                .isEqualTo(UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        assertThat(db.fetchValue(LocalDate.class, "SELECT '2024-01-01 00:00'::timestamp"))
                .isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(db.fetchValue(LocalDateTime.class, "SELECT '2024-01-01 10:00+05'::timestamptz"))
                .as("timestamptz reads in UTC")
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 5, 0));
        assertThat(db.fetchValue(OffsetDateTime.class, "SELECT '2024-01-01'::date"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(db.fetchValue(Integer[].class, "SELECT '{1,2}'::bigint[]")).containsExactly(1, 2);
        assertThat(db.fetchValue(Integer.class, "SELECT NULL::int")).isNull();
        assertThat(db.fetchValue(int.class, "SELECT 5")).isEqualTo(5);
    }

    @Test
    void aRecordComponentWithoutAColumnIsAnError() {
        assertThatThrownBy(() -> db.fetchOne(WithMissing.class, "SELECT 1 AS a"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("component absent (int) has no column")
                .hasMessageContaining("[a]")
                .hasMessageContaining("SQL: SELECT 1 AS a");
    }

    @Test
    void aValueThatDoesNotFitARecordComponentIsAnErrorNamingBoth() {
        assertThatThrownBy(() -> db.fetchOne(Row.class, "SELECT 'x' AS a, 'y' AS b"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Column a (text) cannot fill component a (int) of Row");
        assertThatThrownBy(() -> db.fetchAll(Row.class, "SELECT 3000000000::bigint AS a, 'y' AS b"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> db.fetchOne(Row.class, "SELECT NULL::int AS a, 'y' AS b"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("SQL NULL does not fit the primitive int");
    }

    @Test
    void rowsMapByNameWithArraysIntoCollections() {
        Tagged tagged = db.fetchOne(
                        Tagged.class, "SELECT ARRAY[3, 4]::int[] AS scores, '{a,b}'::text[] AS tags, 9::bigint AS id")
                .orElseThrow();
        assertThat(tagged.id()).isEqualTo(9);
        assertThat(tagged.tags()).containsExactly("a", "b");
        assertThat(tagged.scores()).containsExactly(3, 4);
        CreatedAt created = db.fetchOne(CreatedAt.class, "SELECT 1 AS id, '2024-01-01Z'::timestamptz AS created_at")
                .orElseThrow();
        assertThat(created.createdAt()).isEqualTo(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void beansKeepDefaultsForMissingPropertiesButRefuseValuesThatDoNotFit() {
        Bean bean = db.fetchOne(Bean.class, "SELECT 1 AS a, 'b' AS b").orElseThrow();
        assertThat(bean.a).isEqualTo(1);
        assertThat(bean.untouched).isEqualTo(7);
        assertThatThrownBy(() -> db.fetchOne(Bean.class, "SELECT 'x' AS a"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("does not fit Integer");
    }

    @Test
    void aSingleValueTypeNeedsOneColumn() {
        assertThat(db.fetchAll(Long.class, "SELECT g FROM generate_series(1, 3) g"))
                .containsExactly(1L, 2L, 3L);
        assertThatThrownBy(() -> db.fetchAll(Long.class, "SELECT 1 AS a, 2 AS b"))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("one column");
    }

    @Test
    void jooqConversionsOnAManagersRecordsAreStrictToo() {
        Record row = db.fetchOne("SELECT 3000000000::bigint AS big").orElseThrow();
        assertThatThrownBy(() -> row.get("big", Integer.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> db.dsl().resultQuery("SELECT 'abc' AS a").fetchInto(Row.class))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("component b");
        assertThat(db.dsl().resultQuery("SELECT 1 AS a, 'x' AS b").fetchInto(Row.class))
                .containsExactly(new Row(1, "x"));
    }
}
