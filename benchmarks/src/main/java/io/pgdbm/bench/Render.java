package io.pgdbm.bench;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.pgdbm.internal.ParameterTranslator;
import io.pgdbm.internal.SqlTemplate;
import io.pgdbm.internal.StatementCache;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * S2: the cost of producing SQL for a three-table query, no database involved. {@code concat} (the baseline)
 * builds the string by hand; {@code cachedTemplate} is the hot path of every verb (a statement-cache hit);
 * {@code uncachedTemplate} renders and translates from scratch; {@code jooq} and {@code jooqMapped} build and
 * render the query with jOOQ, without and with a RenderMapping.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class Render {
    static final String TEMPLATE = "SELECT u.email, o.id, i.sku FROM {{tables.users}} u"
            + " JOIN {{tables.orders}} o ON o.user_id = u.id JOIN {{tables.order_items}} i ON i.order_id = o.id"
            + " WHERE u.id = $1";

    private static final Table<?> USERS = table(name("shop", "users"));
    private static final Table<?> ORDERS = table(name("shop", "orders"));
    private static final Table<?> ITEMS = table(name("shop", "order_items"));
    private static final Field<String> EMAIL = field(name("shop", "users", "email"), String.class);
    private static final Field<Long> USER_ID = field(name("shop", "users", "id"), Long.class);
    private static final Field<Long> ORDER_ID = field(name("shop", "orders", "id"), Long.class);
    private static final Field<Long> ORDER_USER = field(name("shop", "orders", "user_id"), Long.class);
    private static final Field<String> SKU = field(name("shop", "order_items", "sku"), String.class);
    private static final Field<Long> ITEM_ORDER = field(name("shop", "order_items", "order_id"), Long.class);

    /** Not final, so the JIT cannot fold the concatenation away. */
    String schema = "tenant_42";

    long userId = 7;
    StatementCache cache;
    DSLContext plain;
    DSLContext mapped;

    @Setup
    public void setUp() {
        cache = new StatementCache(schema, 2048, java.util.Set.of());
        cache.get(TEMPLATE);
        plain = DSL.using(SQLDialect.POSTGRES);
        mapped = DSL.using(
                SQLDialect.POSTGRES,
                new Settings()
                        .withRenderMapping(new RenderMapping()
                                .withSchemata(
                                        new MappedSchema().withInput("shop").withOutput(schema))));
    }

    @Benchmark
    public String concat() {
        return "SELECT u.email, o.id, i.sku FROM \"" + schema + "\".users u JOIN \"" + schema
                + "\".orders o ON o.user_id = u.id JOIN \"" + schema + "\".order_items i ON i.order_id = o.id"
                + " WHERE u.id = ?";
    }

    @Benchmark
    public String cachedTemplate() {
        return cache.get(TEMPLATE).parsed().jdbcSql();
    }

    @Benchmark
    public String uncachedTemplate() {
        return ParameterTranslator.translate(SqlTemplate.render(TEMPLATE, schema))
                .jdbcSql();
    }

    @Benchmark
    public String jooq() {
        return render(plain);
    }

    @Benchmark
    public String jooqMapped() {
        return render(mapped);
    }

    private String render(DSLContext dsl) {
        return dsl.render(dsl.select(EMAIL, ORDER_ID, SKU)
                .from(USERS)
                .join(ORDERS)
                .on(ORDER_USER.eq(USER_ID))
                .join(ITEMS)
                .on(ITEM_ORDER.eq(ORDER_ID))
                .where(USER_ID.eq(userId)));
    }
}
