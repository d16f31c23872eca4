package io.pgdbm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jooq.Converter;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.Query;

/**
 * A jOOQ query rendered once with a manager's settings and RenderMapping, as the plain-SQL path runs it: the
 * SQL with a {@code ?} per bind value, and per bind value the converter from the caller's type to the
 * database type. Shared by {@code prepare(Select)} and {@code prepare(Query)}.
 */
final class RenderedQuery {
    final StatementCache.Entry entry;
    /** Per bind value, the converter from the caller's type to the database type; null where none. */
    private final Converter<Object, Object>[] converters;

    private RenderedQuery(StatementCache.Entry entry, Converter<Object, Object>[] converters) {
        this.entry = entry;
        this.converters = converters;
    }

    static RenderedQuery of(Operations operations, DSLContext dsl, Query query) {
        Objects.requireNonNull(query, "query must not be null");
        String sql = dsl.render(query);
        int count = dsl.extractBindValues(query).size();
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        StatementCache.Entry entry = new StatementCache.Entry(
                sql,
                new ParsedSql(sql, order, count),
                QueryObserver.shape(sql),
                new RecordReader.Columns(),
                operations.context.statements().effectsOf(sql));
        return new RenderedQuery(entry, converters(dsl, query, count));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Converter<Object, Object>[] converters(DSLContext dsl, Query query, int count) {
        Converter<Object, Object>[] converters = new Converter[count];
        List<Param<?>> params = new ArrayList<>();
        for (Param<?> param : dsl.extractParams(query).values()) {
            if (!param.isInline()) {
                params.add(param); // inline values are part of the SQL, not bind values
            }
        }
        if (params.size() != count) {
            // named parameters used more than once: values are bound as given
            return converters;
        }
        for (int i = 0; i < count; i++) {
            Converter converter = params.get(i).getConverter();
            if (converter.fromType() != converter.toType()) {
                converters[i] = converter;
            }
        }
        return converters;
    }

    /** The caller's arguments with each field's converter applied (user types to database types). */
    Object[] arguments(Object[] args) {
        if (args == null || args.length != converters.length) {
            return args; // the count check in Operations reports it
        }
        Object[] converted = args;
        for (int i = 0; i < args.length; i++) {
            Converter<Object, Object> converter = converters[i];
            if (converter != null && converter.toType().isInstance(args[i])) {
                if (converted == args) {
                    converted = args.clone();
                }
                converted[i] = converter.to(args[i]);
            }
        }
        return converted;
    }
}
