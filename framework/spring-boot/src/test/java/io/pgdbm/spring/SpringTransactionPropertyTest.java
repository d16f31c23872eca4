package io.pgdbm.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Whatever pool the context holds (the starter's or the application's own bean), pgdbm's work in a Spring
 * transaction across two modules — plain SQL, {@code dsl()}, nested {@code transaction(...)} savepoints that
 * succeed or fail — is committed exactly when the transaction commits and leaves nothing when it rolls back,
 * however it ends (rollback-only, a runtime exception, an Error, a checked exception thrown sneakily).
 */
class SpringTransactionPropertyTest {
    private static TestDatabase database;
    private static ConfigurableApplicationContext starterPool;
    private static ConfigurableApplicationContext ownPool;
    private static final AtomicInteger RUN = new AtomicInteger();

    enum Kind {
        PLAIN,
        DSL,
        SAVEPOINT_KEPT,
        SAVEPOINT_FAILED
    }

    enum Outcome {
        COMMIT,
        ROLLBACK_ONLY,
        RUNTIME_EXCEPTION,
        ERROR,
        SNEAKY_CHECKED
    }

    record Step(boolean first, Kind kind) {}

    @ImportAutoConfiguration({
        PgdbmAutoConfiguration.class,
        DataSourceAutoConfiguration.class,
        DataSourceTransactionManagerAutoConfiguration.class
    })
    @Configuration(proxyBeanMethods = false)
    static class App {}

    @Configuration(proxyBeanMethods = false)
    static class OwnPool {
        @Bean
        SharedPool applicationPool() {
            return SharedPool.create(DatabaseConfig.builder()
                    .url(database.url())
                    .maxConnections(3)
                    .build());
        }
    }

    @BeforeContainer
    static void start() {
        database = TestDatabaseFactory.shared().create();
        String[] properties = {
            "pgdbm.url=" + database.url(),
            "pgdbm.max-connections=3",
            "pgdbm.modules.left.migrations=classpath:db/props",
            "pgdbm.modules.right.migrations=classpath:db/props"
        };
        starterPool = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
        ownPool = new SpringApplicationBuilder(App.class, OwnPool.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
    }

    @AfterContainer
    static void stop() {
        if (ownPool != null) {
            ownPool.close();
        }
        if (starterPool != null) {
            starterPool.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Provide
    Arbitrary<List<Step>> plans() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(Kind.class))
                .as(Step::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }

    @Property(tries = 200)
    void committedExactlyWhenSpringCommits(
            @ForAll("plans") List<Step> plan, @ForAll Outcome outcome, @ForAll boolean applicationPool) {
        ConfigurableApplicationContext context = applicationPool ? ownPool : starterPool;
        DatabaseManager left = module(context, "left");
        DatabaseManager right = module(context, "right");
        int run = RUN.incrementAndGet();
        TransactionTemplate transactions = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        int[] kept = new int[2];
        try {
            transactions.executeWithoutResult(status -> {
                for (Step step : plan) {
                    DatabaseManager db = step.first() ? left : right;
                    if (write(db, run, step.kind())) {
                        kept[step.first() ? 0 : 1]++;
                    }
                }
                switch (outcome) {
                    case COMMIT -> {}
                    case ROLLBACK_ONLY -> status.setRollbackOnly();
                    case RUNTIME_EXCEPTION -> throw new IllegalStateException("rolled back");
                    case ERROR -> throw new AssertionError("rolled back");
                    case SNEAKY_CHECKED ->
                        throw SpringTransactionPropertyTest.<RuntimeException>sneaky(
                                new java.io.IOException("rolled back"));
                }
            });
        } catch (RuntimeException | AssertionError expected) {
            assertThat(outcome).isNotEqualTo(Outcome.COMMIT);
        }
        boolean committed = outcome == Outcome.COMMIT;
        assertThat(count(left, run)).isEqualTo(committed ? kept[0] : 0);
        assertThat(count(right, run)).isEqualTo(committed ? kept[1] : 0);
    }

    /** Writes one row (or tries to); whether it should stay when the transaction commits. */
    private static boolean write(DatabaseManager db, int run, Kind kind) {
        switch (kind) {
            case PLAIN -> db.execute("INSERT INTO {{tables.marks}} (run) VALUES ($1)", run);
            case DSL ->
                db.dsl()
                        .insertInto(DSL.table(DSL.name("marks")), DSL.field(DSL.name("run")))
                        .values(run)
                        .execute();
            case SAVEPOINT_KEPT ->
                db.transaction(tx -> {
                    tx.execute("INSERT INTO {{tables.marks}} (run) VALUES ($1)", run);
                });
            case SAVEPOINT_FAILED -> {
                try {
                    db.transaction(tx -> {
                        tx.execute("INSERT INTO {{tables.marks}} (run) VALUES ($1)", run);
                        throw new IllegalArgumentException("only the savepoint rolls back");
                    });
                } catch (IllegalArgumentException expected) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long count(DatabaseManager db, int run) {
        return db.fetchValue(Long.class, "SELECT count(*) FROM {{tables.marks}} WHERE run = $1", run);
    }

    private static DatabaseManager module(ConfigurableApplicationContext context, String name) {
        return BeanFactoryAnnotationUtils.qualifiedBeanOfType(context.getBeanFactory(), DatabaseManager.class, name);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
