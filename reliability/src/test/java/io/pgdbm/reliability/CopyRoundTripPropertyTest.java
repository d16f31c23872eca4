package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.JSONB;

/**
 * COPY loads every value {@code execute} binds, identically, and refuses what {@code execute} cannot store:
 * random rows of random values — text with any character (tabs, newlines, backslashes, quotes, emoji, NUL,
 * halves of surrogate pairs), whole and decimal numbers of any size, doubles with NaN and infinities, dates
 * and timestamps before year 1 and after 9999 and at ±infinity, times, UUIDs, bytes, arrays, JSON — are
 * inserted once with {@code execute} and once with {@code copyRecords}; both succeed and store equal
 * values, or both fail.
 */
class CopyRoundTripPropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static DatabaseManager db;
    private static final AtomicInteger loaded = new AtomicInteger();
    private static final AtomicInteger refusedByBoth = new AtomicInteger();

    private static final List<String> COLUMNS =
            List.of("i", "b", "n", "f", "t", "d", "ts", "tz", "tm", "u", "bo", "by", "ia", "ta", "j");

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
        db = pool.manager("copy_props");
        db.ensureSchema();
        db.execute("CREATE TABLE {{tables.values}} (id serial, via text, i int, b bigint, n numeric, f float8, t text,"
                + " d date, ts timestamp, tz timestamptz, tm time, u uuid, bo boolean, by bytea, ia int[], ta text[],"
                + " j jsonb)");
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(CopyRoundTripPropertyTest.class)
                .info(
                        "COPY against execute: {} rows stored identically, {} refused by both",
                        loaded.get(),
                        refusedByBoth.get());
        if (database != null) {
            database.close();
        }
    }

    private static <T> Arbitrary<T> orNull(Arbitrary<T> values) {
        return values.injectNull(0.15);
    }

    @Provide
    Arbitrary<List<Object>> rows() {
        Arbitrary<String> hostileText = Arbitraries.strings()
                .withChars("ab \t\n\r\\'\"$é€\u0000")
                .withCharRange('\uD800', '\uD801')
                .withCharRange('\uDC00', '\uDC01')
                .ofMaxLength(10)
                .map(s -> s.replace("\uD800\uDC00", "\uD83D\uDE00"));
        Arbitrary<String> storableText = Arbitraries.strings()
                .withChars("ab \t\n\r\\'\"$é€{},")
                .ofMaxLength(10)
                .map(s -> s + "\uD83D\uDE00");
        Arbitrary<String> text = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, storableText), net.jqwik.api.Tuple.of(1, hostileText));
        Arbitrary<LocalDate> dates = Arbitraries.oneOf(
                Arbitraries.integers()
                        .between(-4000, 300_000)
                        .flatMap(year ->
                                Arbitraries.integers().between(1, 365).map(day -> LocalDate.ofYearDay(year, day))),
                Arbitraries.of(
                        LocalDate.MAX,
                        LocalDate.MIN,
                        LocalDate.of(0, 1, 1),
                        LocalDate.of(-43, 3, 15),
                        LocalDate.of(9999, 12, 31),
                        LocalDate.of(10000, 1, 1)));
        Arbitrary<LocalTime> times =
                Arbitraries.longs().between(0, 86_399_999_999L).map(micros -> LocalTime.ofNanoOfDay(micros * 1000));
        Arbitrary<LocalDateTime> timestamps = Arbitraries.oneOf(
                Combinators.combine(dates, times).as(LocalDateTime::of),
                Arbitraries.of(LocalDateTime.MAX, LocalDateTime.MIN));
        Arbitrary<Object> zoned = Arbitraries.oneOf(
                Combinators.combine(timestamps, Arbitraries.integers().between(-18, 18))
                        .as((ts, hours) -> (Object)
                                (ts.equals(LocalDateTime.MAX)
                                        ? OffsetDateTime.MAX
                                        : ts.equals(LocalDateTime.MIN)
                                                ? OffsetDateTime.MIN
                                                : ts.atOffset(ZoneOffset.ofHours(hours)))),
                // seconds from about 4700 BC to about 287,000 AD (PostgreSQL's own range ends at 294276 AD)
                Combinators.combine(
                                Arbitraries.longs().between(-210_000_000_000L, 9_000_000_000_000L),
                                Arbitraries.integers().between(0, 999_999))
                        .as((seconds, micros) -> (Object) Instant.ofEpochSecond(seconds, micros * 1000L)));
        return Combinators.combine(List.of(
                        orNull(Arbitraries.integers().map(v -> (Object) v)),
                        orNull(Arbitraries.longs().map(v -> (Object) v)),
                        orNull(Combinators.combine(
                                        Arbitraries.bigIntegers()
                                                .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
                                        Arbitraries.integers().between(-20, 40))
                                .as((unscaled, scale) -> (Object) new BigDecimal(unscaled, scale))),
                        orNull(Arbitraries.oneOf(
                                Arbitraries.doubles().map(v -> (Object) v),
                                Arbitraries.of(
                                                Double.NaN,
                                                Double.POSITIVE_INFINITY,
                                                Double.NEGATIVE_INFINITY,
                                                Double.MIN_VALUE,
                                                -0.0,
                                                1e308)
                                        .map(v -> (Object) v))),
                        orNull(text.map(v -> (Object) v)),
                        orNull(dates.map(v -> (Object) v)),
                        orNull(timestamps.map(v -> (Object) v)),
                        orNull(zoned),
                        orNull(times.map(v -> (Object) v)),
                        orNull(Arbitraries.create(UUID::randomUUID).map(v -> (Object) v)),
                        orNull(Arbitraries.of(true, false).map(v -> (Object) v)),
                        orNull(Arbitraries.bytes()
                                .array(byte[].class)
                                .ofMaxSize(8)
                                .map(v -> (Object) v)),
                        orNull(Arbitraries.integers()
                                .injectNull(0.2)
                                .list()
                                .ofMaxSize(4)
                                .map(v -> (Object) v)),
                        orNull(text.injectNull(0.2).list().ofMaxSize(3).map(v -> (Object) v)),
                        orNull(text.map(v -> (Object) JSONB.valueOf(jsonString(v))))))
                .as(values -> new ArrayList<>(values));
    }

    /** A JSON string literal holding {@code text}. */
    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder("{\"k\": \"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append("\"}").toString();
    }

    @Property(tries = 600)
    void copyStoresWhatExecuteStoresOrBothRefuse(@ForAll("rows") List<Object> row) {
        db.execute("TRUNCATE {{tables.values}}");
        StringBuilder placeholders = new StringBuilder();
        for (int i = 0; i < COLUMNS.size(); i++) {
            placeholders.append(i == 0 ? "" : ", ").append('$').append(i + 2);
        }
        List<Object> arguments = new ArrayList<>();
        arguments.add("execute");
        arguments.addAll(row);
        RuntimeException executeFailure = null;
        try {
            db.execute(
                    "INSERT INTO {{tables.values}} (via, " + String.join(", ", COLUMNS) + ") VALUES ($1, "
                            + placeholders + ")",
                    arguments.toArray());
        } catch (RuntimeException e) {
            executeFailure = e;
        }
        List<Object> copied = new ArrayList<>();
        copied.add("copy");
        copied.addAll(row);
        List<String> columns = new ArrayList<>(List.of("via"));
        columns.addAll(COLUMNS);
        RuntimeException copyFailure = null;
        try {
            db.copyRecords("values", columns, List.of(copied));
        } catch (RuntimeException e) {
            copyFailure = e;
        }
        String shown = Arrays.deepToString(row.toArray());
        if (executeFailure != null || copyFailure != null) {
            assertThat(executeFailure)
                    .as("execute of %s (COPY said %s)", shown, copyFailure)
                    .isNotNull();
            assertThat(copyFailure)
                    .as("COPY of %s (execute said %s)", shown, executeFailure)
                    .isNotNull();
            assertThat(copyFailure).isInstanceOf(QueryException.class);
            assertThat(db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.values}}"))
                    .isZero();
            refusedByBoth.incrementAndGet();
            return;
        }
        StringBuilder same = new StringBuilder();
        for (String column : COLUMNS) {
            same.append(same.isEmpty() ? "" : " AND ")
                    .append("e.")
                    .append(column)
                    .append(" IS NOT DISTINCT FROM c.")
                    .append(column);
        }
        Boolean identical = db.fetchValue(
                Boolean.class,
                "SELECT " + same + " FROM {{tables.values}} e, {{tables.values}} c"
                        + " WHERE e.via = 'execute' AND c.via = 'copy'");
        assertThat(identical).as("the same values stored for %s", shown).isTrue();
        loaded.incrementAndGet();
    }
}
