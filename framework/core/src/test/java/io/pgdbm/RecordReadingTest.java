package io.pgdbm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plain-SQL verbs read common scalar columns directly and everything else through jOOQ's bindings; both
 * must give what jOOQ itself gives for the same result, NULLs included.
 */
@ExtendWith(PostgresExtension.class)
class RecordReadingTest {
    static final String SCALARS = """
            SELECT * FROM (VALUES
                (9007199254740993::int8, 2147483647::int4, (-32768)::int2, 'text'::text, 'v'::varchar,
                 true, 1.5::float8, 2.25::float4, 12345678901234567890.123::numeric,
                 '2024-02-29 23:59:59.123456+05'::timestamptz, '0b8e5b2e-8f43-4ea4-9a36-27bd4ae0d6c5'::uuid),
                (0::int8, 0::int4, 0::int2, '', '', false, 0::float8, 0::float4, 0::numeric,
                 '1970-01-01 00:00:00+00'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid),
                (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            ) AS t(a_int8, a_int4, a_int2, a_text, a_varchar, a_bool, a_float8, a_float4, a_numeric, a_tstz, a_uuid)
            """;

    @Test
    void scalarColumnsReadAsJooqReadsThem(SharedPool pool) {
        DatabaseManager db = pool.manager();
        Result<Record> ours = db.fetchAll(SCALARS);
        Result<Record> jooqs = db.dsl().fetch(SCALARS);

        assertThat(ours).hasSize(3);
        for (int row = 0; row < 3; row++) {
            Record mine = ours.get(row);
            Record theirs = jooqs.get(row);
            assertThat(mine.intoArray()).as("row %d", row).containsExactly(theirs.intoArray());
            for (int column = 0; column < mine.size(); column++) {
                Object value = mine.get(column);
                if (value != null) {
                    assertThat(value).isExactlyInstanceOf(theirs.get(column).getClass());
                }
            }
            // as jOOQ's fetch leaves them: untouched, originals equal to the values
            assertThat(mine.touched()).isFalse();
            assertThat(mine.original().intoArray()).containsExactly(mine.intoArray());
        }
        Record first = ours.getFirst();
        assertThat(first.get("a_int8")).isEqualTo(9007199254740993L);
        assertThat(first.get("a_int2")).isEqualTo((short) -32768);
        assertThat(first.get("a_numeric")).isEqualTo(new BigDecimal("12345678901234567890.123"));
        assertThat(first.get("a_tstz"))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 18, 59, 59, 123_456_000, ZoneOffset.UTC));
        assertThat(first.get("a_uuid")).isEqualTo(UUID.fromString("0b8e5b2e-8f43-4ea4-9a36-27bd4ae0d6c5"));
        // zero values are not mistaken for NULL, NULLs are null
        assertThat(ours.get(1).intoArray()).doesNotContainNull();
        assertThat(ours.get(2).intoArray()).containsOnlyNulls();
        assertThat(db.fetchOne(SCALARS).orElseThrow().intoArray()).containsExactly(first.intoArray());
    }

    @Test
    void otherTypesStillGoThroughJooqsBindings(SharedPool pool) {
        DatabaseManager db = pool.manager();
        Record row = db.fetchOne("SELECT 1::int8 AS id, '{\"a\": 1}'::jsonb AS doc, ARRAY['x', 'y'] AS tags,"
                        + " DATE '2024-01-02' AS day")
                .orElseThrow();
        assertThat(row.get("id")).isEqualTo(1L);
        assertThat(row.get("doc")).isInstanceOf(JSONB.class);
        assertThat(row.get("tags")).isEqualTo(new String[] {"x", "y"});
        assertThat(row.get("day", java.time.LocalDate.class)).isEqualTo(java.time.LocalDate.of(2024, 1, 2));
    }

    @Test
    void recordsMapIntoClassesAsBefore(SharedPool pool) {
        record Item(long id, String name, BigDecimal price) {}
        List<Item> items = pool.manager()
                .fetchAll(
                        Item.class,
                        "SELECT g::int8 AS id, 'item ' || g AS name, g * 1.5 AS price"
                                + " FROM generate_series(1, 3) g ORDER BY g");
        assertThat(items)
                .containsExactly(
                        new Item(1, "item 1", new BigDecimal("1.5")),
                        new Item(2, "item 2", new BigDecimal("3.0")),
                        new Item(3, "item 3", new BigDecimal("4.5")));
    }
}
