package io.pgdbm.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pgdbm.DatabaseManager;
import io.pgdbm.QueryException;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random values of random PostgreSQL types read into random Java types with {@code fetchValue} and into a
 * record component. The server's own text form of each value is the oracle: a read either returns exactly
 * that value in the Java type, or throws a {@link QueryException}; it never wraps, truncates, rounds a
 * whole number, or turns a value into null or zero.
 */
class ValueConversionPropertyTest {
    private static TestDatabase database;
    private static SharedPool pool;
    private static DatabaseManager db;
    private static final AtomicInteger converted = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();

    private static final List<Class<?>> TARGETS = List.of(
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            BigInteger.class,
            BigDecimal.class,
            Double.class,
            Float.class,
            Boolean.class,
            String.class,
            int.class,
            long.class);

    private static final Set<String> BOOLEAN_WORDS =
            Set.of("t", "true", "y", "yes", "on", "1", "f", "false", "n", "no", "off", "0");

    record Source(String sqlType, String literal) {
        String expression() {
            return literal == null ? "NULL::" + sqlType : "'" + literal.replace("'", "''") + "'::" + sqlType;
        }
    }

    @BeforeContainer
    static void open() {
        database = TestDatabaseFactory.shared().create();
        pool = database.pool();
        db = pool.manager();
    }

    @AfterContainer
    static void close() {
        org.slf4j.LoggerFactory.getLogger(ValueConversionPropertyTest.class)
                .info("Value conversions: {} converted exactly, {} refused", converted.get(), refused.get());
        if (database != null) {
            database.close();
        }
    }

    @Provide
    Arbitrary<Source> sources() {
        Arbitrary<BigInteger> wholeNumbers = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.valueOf(-300), BigInteger.valueOf(300)),
                Arbitraries.bigIntegers().between(BigInteger.valueOf(-70_000), BigInteger.valueOf(70_000)),
                Arbitraries.bigIntegers()
                        .between(
                                BigInteger.valueOf(Integer.MIN_VALUE).subtract(BigInteger.TEN),
                                BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.TEN)),
                Arbitraries.bigIntegers()
                        .between(
                                BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.TEN),
                                BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.TEN)),
                Arbitraries.of(
                        BigInteger.valueOf(Short.MAX_VALUE), BigInteger.valueOf(Short.MAX_VALUE + 1),
                        BigInteger.valueOf(Integer.MAX_VALUE),
                                BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE),
                        BigInteger.valueOf(Long.MIN_VALUE), BigInteger.TEN.pow(40)));
        Arbitrary<Source> integral = Combinators.combine(
                        wholeNumbers, Arbitraries.of("int2", "int4", "int8", "numeric"))
                .as((n, type) -> new Source(type, n.toString()))
                .filter(s -> fits(s));
        Arbitrary<Source> decimals = Combinators.combine(
                        Arbitraries.bigIntegers()
                                .between(BigInteger.valueOf(-1_000_000_000L), BigInteger.valueOf(1_000_000_000L)),
                        Arbitraries.integers().between(-45, 400))
                .as((unscaled, scale) -> new Source("numeric", new BigDecimal(unscaled, scale).toString()));
        Arbitrary<Source> doubles = Arbitraries.oneOf(
                        Arbitraries.doubles(),
                        Arbitraries.of(
                                Double.NaN,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY,
                                Double.MIN_VALUE,
                                Double.MAX_VALUE,
                                1e39,
                                1e-46,
                                -0.0,
                                0.5,
                                3.0,
                                1e15,
                                9.007199254740993e15))
                .map(d -> new Source(
                        "float8",
                        Double.isNaN(d)
                                ? "NaN"
                                : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Double.toString(d)));
        Arbitrary<Source> texts = Arbitraries.oneOf(
                        Arbitraries.strings().withChars("0123456789-+.eE ").ofMaxLength(12),
                        Arbitraries.strings().alpha().ofMaxLength(6),
                        Arbitraries.of(BOOLEAN_WORDS.toArray(String[]::new)))
                .map(t -> new Source("text", t));
        Arbitrary<Source> booleans = Arbitraries.of("true", "false").map(b -> new Source("bool", b));
        Arbitrary<Source> nulls = Arbitraries.of("int4", "text", "float8").map(t -> new Source(t, null));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, integral),
                net.jqwik.api.Tuple.of(3, decimals),
                net.jqwik.api.Tuple.of(3, doubles),
                net.jqwik.api.Tuple.of(3, texts),
                net.jqwik.api.Tuple.of(1, booleans),
                net.jqwik.api.Tuple.of(1, nulls));
    }

    /** A literal the SQL type itself accepts (an int2 of 70000 would fail at the server, not in pgdbm). */
    private static boolean fits(Source source) {
        BigInteger n = new BigInteger(source.literal());
        return switch (source.sqlType()) {
            case "int2" -> n.bitLength() < 16;
            case "int4" -> n.bitLength() < 32;
            case "int8" -> n.bitLength() < 64;
            default -> true;
        };
    }

    @Provide
    Arbitrary<Class<?>> targets() {
        return Arbitraries.of(TARGETS);
    }

    @Property(tries = 3000)
    void aValueComesBackExactlyOrNotAtAll(@ForAll("sources") Source source, @ForAll("targets") Class<?> target) {
        String serverText = db.fetchValue(String.class, "SELECT (" + source.expression() + ")::text");
        String sqlType = source.sqlType();
        Object value = null;
        Throwable thrown = null;
        try {
            value = db.fetchValue(target, "SELECT " + source.expression());
        } catch (RuntimeException e) {
            thrown = e;
        }
        Expected expected = expected(serverText, sqlType, target);
        if (thrown != null) {
            assertThat(thrown).as("%s into %s", source.expression(), target).isInstanceOf(QueryException.class);
            assertThat(expected.fits())
                    .as("%s (%s) into %s was refused: %s", source.expression(), serverText, target, thrown.getMessage())
                    .isFalse();
            refused.incrementAndGet();
            return;
        }
        assertThat(expected.fits())
                .as("%s (%s) into %s gave %s", source.expression(), serverText, target, value)
                .isTrue();
        expected.check(value);
        converted.incrementAndGet();
    }

    @Property(tries = 500)
    void aRecordComponentGetsTheSameAnswer(@ForAll("sources") Source source) {
        record IntHolder(int value) {}
        String serverText = db.fetchValue(String.class, "SELECT (" + source.expression() + ")::text");
        Throwable thrown =
                catchThrowable(() -> db.fetchOne(IntHolder.class, "SELECT " + source.expression() + " AS value"));
        Expected expected = expected(serverText, source.sqlType(), int.class);
        if (expected.fits()) {
            assertThat(thrown).as(source.expression()).isNull();
        } else {
            assertThat(thrown).as(source.expression()).isInstanceOf(QueryException.class);
        }
    }

    /** What a correct read returns: whether the target holds the value, and a check of the value returned. */
    record Expected(boolean fits, java.util.function.Consumer<Object> check) {
        void check(Object value) {
            check.accept(value);
        }
    }

    private static Expected no() {
        return new Expected(false, v -> {});
    }

    private static Expected expected(String text, String sqlType, Class<?> target) {
        if (text == null) {
            return target.isPrimitive()
                    ? no()
                    : new Expected(true, v -> assertThat(v).isNull());
        }
        boolean numericSource = !sqlType.equals("text") && !sqlType.equals("bool");
        if (target == String.class) {
            if (!numericSource) {
                return new Expected(true, v -> assertThat(v).isEqualTo(text));
            }
            BigDecimal exact = finite(text);
            return new Expected(true, v -> {
                if (exact != null && sqlType.equals("float8")) {
                    assertThat(Double.parseDouble((String) v)).isEqualTo(Double.parseDouble(text));
                } else if (exact != null) {
                    assertThat(new BigDecimal((String) v)).isEqualByComparingTo(exact);
                }
            });
        }
        if (target == Boolean.class) {
            if (sqlType.equals("bool")) {
                return new Expected(true, v -> assertThat(v).isEqualTo(text.equals("true")));
            }
            if (sqlType.equals("text") && BOOLEAN_WORDS.contains(text.strip().toLowerCase(Locale.ROOT))) {
                boolean truth = Set.of("t", "true", "y", "yes", "on", "1")
                        .contains(text.strip().toLowerCase(Locale.ROOT));
                return new Expected(true, v -> assertThat(v).isEqualTo(truth));
            }
            return no();
        }
        if (sqlType.equals("bool")) {
            return no();
        }
        String number = text.strip();
        boolean special = Set.of("nan", "infinity", "-infinity", "+infinity", "inf", "-inf")
                .contains(number.toLowerCase(Locale.ROOT));
        Class<?> boxed = target == int.class ? Integer.class : target == long.class ? Long.class : target;
        if (special) {
            if (boxed == Double.class || boxed == Float.class) {
                double d = number.equalsIgnoreCase("nan")
                        ? Double.NaN
                        : number.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                return new Expected(true, v -> {
                    double got = ((Number) v).doubleValue();
                    assertThat(got == d || Double.isNaN(d) && Double.isNaN(got)).isTrue();
                });
            }
            return no();
        }
        BigDecimal decimal = finite(number);
        if (decimal == null) {
            return no();
        }
        boolean float8 = sqlType.equals("float8");
        // a float8's value is the double its text denotes, exactly (1.2345678901234568e+18 is …768)
        BigDecimal exact = float8 ? new BigDecimal(Double.parseDouble(number)) : decimal;
        if (boxed == BigDecimal.class) {
            if (float8) {
                // any decimal that reads back as the same double identifies it
                return new Expected(
                        true, v -> assertThat(((BigDecimal) v).doubleValue()).isEqualTo(exact.doubleValue()));
            }
            return new Expected(true, v -> assertThat((BigDecimal) v).isEqualByComparingTo(exact));
        }
        if (boxed == Double.class || boxed == Float.class) {
            double d = boxed == Double.class ? exact.doubleValue() : exact.floatValue();
            boolean ok = !Double.isInfinite(d) && !(d == 0 && exact.signum() != 0);
            // numerically equal: -0.0 and 0.0 are the same number here
            return ok
                    ? new Expected(
                            true,
                            v -> assertThat(((Number) v).doubleValue() == d).isTrue())
                    : no();
        }
        BigInteger whole;
        try {
            whole = exact.toBigIntegerExact();
        } catch (ArithmeticException notWhole) {
            return no();
        }
        int bits = boxed == Byte.class
                ? 8
                : boxed == Short.class
                        ? 16
                        : boxed == Integer.class ? 32 : boxed == Long.class ? 64 : Integer.MAX_VALUE;
        if (whole.bitLength() >= bits) {
            return no();
        }
        // compared as numbers: re-parsing the text of a 131,072-digit numeric is quadratic (minutes per value)
        return new Expected(
                true,
                v -> assertThat(v instanceof BigInteger big ? big : BigInteger.valueOf(((Number) v).longValue()))
                        .isEqualTo(whole));
    }

    private static BigDecimal finite(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
