package io.pgdbm.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rendered and translated SQL, per manager, keyed by the caller's SQL text. A hit costs one
 * {@code ConcurrentHashMap.get}: templates and placeholders are processed once per distinct statement.
 *
 * <p>Bounded by count and by size: past {@link #capacity} entries or {@link #MAX_CHARS} characters of SQL
 * held, about half the entries are dropped in one sweep, and a statement longer than {@link
 * #MAX_STATEMENT_CHARS} is processed every time rather than kept. Statements built dynamically (values in
 * the text, or large generated SQL) would otherwise grow the map without limit. A plain map is used rather
 * than a caching library because the hit path must stay in the tens of nanoseconds (see the S2 benchmark)
 * and no eviction order matters here: a miss only costs a re-parse.
 */
public final class StatementCache {
    /**
     * What the cache holds per statement; {@code columns} remembers the fields of its last result, so
     * repeated reads skip the type lookups.
     */
    public record Entry(
            String renderedSql, ParsedSql parsed, String shape, RecordReader.Columns columns, int effects) {}

    /** Characters of SQL (the statement, rendered and translated) one cache holds at most: a few megabytes. */
    public static final long MAX_CHARS = 2_000_000;
    /** A statement longer than this is not kept: it would crowd out everything else. */
    public static final int MAX_STATEMENT_CHARS = 64 * 1024;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong chars = new java.util.concurrent.atomic.AtomicLong();
    private final String schema;
    /** Canonical schemas of other modules to the schemas they render in ({@code {{tables.s.t}}}). */
    private final java.util.Map<String, String> schemas;

    private final int capacity;
    private final java.util.Set<String> builtins;

    /** @param builtins the server's built-in function names, for {@link StatementEffects} */
    public StatementCache(String schema, int capacity, java.util.Set<String> builtins) {
        this(schema, java.util.Map.of(), capacity, builtins);
    }

    /** @param schemas canonical schemas to the schemas {@code {{tables.<canonical>.t}}} renders in */
    public StatementCache(
            String schema, java.util.Map<String, String> schemas, int capacity, java.util.Set<String> builtins) {
        this.schema = schema;
        this.schemas = java.util.Map.copyOf(schemas);
        this.capacity = capacity;
        this.builtins = builtins;
    }

    /** The rendered and translated form of {@code sql}, computed on first use. */
    public Entry get(String sql) {
        Entry entry = entries.get(sql);
        if (entry != null) {
            return entry;
        }
        int bad = Utf16.unpairedSurrogate(sql);
        if (bad >= 0) {
            throw new io.pgdbm.QueryException("The SQL " + Utf16.problem(sql, bad));
        }
        String rendered = SqlTemplate.render(sql, schema, schemas);
        entry = new Entry(
                rendered,
                ParameterTranslator.translate(rendered),
                QueryObserver.shape(sql),
                new RecordReader.Columns(),
                StatementEffects.of(rendered, builtins));
        long weight = weight(sql, entry);
        if (sql.length() > MAX_STATEMENT_CHARS) {
            return entry;
        }
        if (entries.size() >= capacity || chars.get() + weight > MAX_CHARS) {
            evictHalf();
        }
        if (entries.put(sql, entry) == null) {
            chars.addAndGet(weight);
        }
        return entry;
    }

    /** Template expansion only (pgdbm's {@code prepare_query}), through the same cache. */
    public String render(String sql) {
        Entry entry = entries.get(sql);
        return entry != null ? entry.renderedSql() : SqlTemplate.render(sql, schema, schemas);
    }

    /** What {@code sql} may change beyond its transaction ({@link StatementEffects}). */
    public int effectsOf(String sql) {
        return StatementEffects.of(sql, builtins);
    }

    public int size() {
        return entries.size();
    }

    /** Characters of SQL held (statements, rendered and translated). */
    public long chars() {
        return chars.get();
    }

    private static long weight(String sql, Entry entry) {
        return (long) sql.length()
                + entry.renderedSql().length()
                + entry.parsed().jdbcSql().length();
    }

    private void evictHalf() {
        int toRemove = Math.max(1, entries.size() / 2);
        Iterator<java.util.Map.Entry<String, Entry>> iterator =
                entries.entrySet().iterator();
        while (toRemove-- > 0 && iterator.hasNext()) {
            java.util.Map.Entry<String, Entry> evicted = iterator.next();
            iterator.remove();
            chars.addAndGet(-weight(evicted.getKey(), evicted.getValue()));
        }
    }
}
