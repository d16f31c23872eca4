package io.pgdbm.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.MigrationException;
import io.pgdbm.migrations.MigrationResult;
import io.pgdbm.monitoring.PgdbmMetrics;
import io.pgdbm.monitoring.QueryMonitor;
import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class PgdbmAutoConfigurationTest {
    private TestDatabase database;
    private ApplicationContextRunner runner;

    @BeforeEach
    void database() {
        database = TestDatabaseFactory.shared().create();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        PgdbmAutoConfiguration.class,
                        PgdbmHealthConfiguration.class,
                        PgdbmMetricsConfiguration.class,
                        DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class))
                .withPropertyValues("pgdbm.url=" + database.url(), "pgdbm.max-connections=4");
    }

    @AfterEach
    void drop() {
        database.close();
    }

    private static final String[] MODULES = {
        // declared out of order: the order comes from depends-on
        "pgdbm.modules.orders.migrations=classpath:db/orders",
        "pgdbm.modules.orders.depends-on=users",
        "pgdbm.modules.users.migrations=classpath:db/users",
        "pgdbm.modules.audit.schema=audit_log" // a module without migrations, in a schema of its choosing
    };

    @Test
    void oneSharedPoolIsTheDataSourceAndTheDefaultManager() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SharedPool pool = context.getBean(SharedPool.class);
            assertThat(context.getBean(DataSource.class)).isSameAs(pool.dataSource());
            assertThat(context.getBean(DatabaseConfig.class).maxConnections()).isEqualTo(4);
            assertThat(context.getBean(DatabaseManager.class).fetchValue(Integer.class, "SELECT 1"))
                    .isEqualTo(1);
        });
    }

    @Test
    void eachModuleGetsAQualifiedManagerAndItsMigrationsRunInDependencyOrder() {
        runner.withPropertyValues(MODULES).run(context -> {
            assertThat(context).hasNotFailed();
            DatabaseManager users = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                    context.getBeanFactory(), DatabaseManager.class, "users");
            DatabaseManager orders = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                    context.getBeanFactory(), DatabaseManager.class, "orders");
            DatabaseManager audit = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                    context.getBeanFactory(), DatabaseManager.class, "audit");
            assertThat(users.schema()).contains("users");
            assertThat(orders.schema()).contains("orders");
            assertThat(audit.schema()).contains("audit_log");
            // orders' migration read the users module's table: users had migrated first
            assertThat(orders.fetchValue(String.class, "SELECT note FROM {{tables.orders}}"))
                    .isEqualTo("welcome");
            Map<String, MigrationResult> results =
                    context.getBean(PgdbmModules.class).migrationResults();
            assertThat(results.keySet()).containsExactly("users", "orders");
            assertThat(context.getBean(PgdbmModules.class).graph().order()).containsExactly("users", "orders", "audit");
        });
    }

    @Test
    void modulesMigrateOverTheMigrationUrlWhenOneIsSet() {
        runner.withPropertyValues(MODULES)
                .withPropertyValues("pgdbm.migration-url=" + database.url(), "pgdbm.application-name=shop")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SharedPool pool = context.getBean(SharedPool.class);
                    assertThat(pool.config().migrationConfig()).isPresent();
                    assertThat(pool.migrationDataSource()).isNotSameAs(pool.dataSource());
                    assertThat(context.getBean(PgdbmModules.class).migrationResults())
                            .containsKeys("users", "orders");
                    // the migrations' connections are the direct pool's, named after the application
                    assertThat(context.getBean(DatabaseManager.class)
                                    .fetchValue(
                                            Long.class,
                                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
                                                    + " AND datname = current_database()",
                                            "shop-migrate"))
                            .isPositive();
                });
    }

    @Test
    void transactionPoolingWithATimeoutOfItsOwnStopsStartupSayingWhy() {
        runner.withPropertyValues("pgdbm.transaction-pooling=true", "pgdbm.statement-timeout=5s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure()))
                            .hasMessageContaining("transactionPooling")
                            .hasMessageContaining("ALTER ROLE");
                });
    }

    @Test
    void aModuleWithAUrlLivesInADatabaseOfItsOwnWithItsOwnPoolMigrationsAndHealth() {
        SharedPool[] ownPool = new SharedPool[1];
        try (TestDatabase second = TestDatabaseFactory.shared().create()) {
            runner.withPropertyValues(
                            "pgdbm.modules.users.migrations=classpath:db/users",
                            // the same module code, moved to a database of its own: only configuration changes
                            "pgdbm.modules.accounts.migrations=classpath:db/users",
                            "pgdbm.modules.accounts.url=" + second.url(),
                            "pgdbm.modules.accounts.max-connections=3")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        DatabaseManager users = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                                context.getBeanFactory(), DatabaseManager.class, "users");
                        DatabaseManager accounts = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                                context.getBeanFactory(), DatabaseManager.class, "accounts");
                        ownPool[0] = accounts.pool();
                        assertThat(accounts.pool()).isNotSameAs(context.getBean(SharedPool.class));
                        assertThat(users.pool()).isSameAs(context.getBean(SharedPool.class));
                        assertThat(accounts.pool().config().maxConnections()).isEqualTo(3);
                        assertThat(accounts.fetchValue(String.class, "SELECT current_database()"))
                                .isEqualTo(second.name());
                        assertThat(users.fetchValue(String.class, "SELECT current_database()"))
                                .isEqualTo(database.name());
                        assertThat(accounts.fetchValue(String.class, "SELECT email FROM {{tables.users}}"))
                                .isEqualTo("seed@example.com");
                        assertThat(users.fetchValue(Boolean.class, "SELECT to_regclass('accounts.users') IS NULL"))
                                .isTrue();
                        assertThat(context.getBean(PgdbmModules.class).migrationResults())
                                .containsKeys("users", "accounts");
                        assertThat(context.getBean(PgdbmModules.class).ownPools())
                                .containsOnlyKeys("accounts");
                        Health health = context.getBean("pgdbmHealthIndicator", HealthIndicator.class)
                                .health();
                        assertThat(health.getStatus().getCode()).isEqualTo("UP");
                        assertThat(health.getDetails()).containsKey("ownDatabases");
                        assertThat(health.getDetails().get("ownDatabases").toString())
                                .startsWith("{accounts=")
                                .contains("status=healthy");
                        SimpleMeterRegistry registry = new SimpleMeterRegistry();
                        context.getBean(
                                        "pgdbmOwnDatabaseMetrics",
                                        io.micrometer.core.instrument.binder.MeterBinder.class)
                                .bindTo(registry);
                        assertThat(registry.get("pgdbm.pool.connections")
                                        .tag("pool", "pgdbm-module-accounts")
                                        .tag("state", "max")
                                        .gauge()
                                        .value())
                                .isEqualTo(3.0);
                    });
            assertThat(ownPool[0].isClosed()).as("closed with the context").isTrue();
        }
    }

    @Test
    void aDependencyAcrossDatabasesStopsStartupNamingBothModules() {
        runner.withPropertyValues(
                        "pgdbm.modules.users.migrations=classpath:db/users",
                        "pgdbm.modules.accounts.url=postgresql://elsewhere/accounts",
                        "pgdbm.modules.accounts.depends-on=users")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure()))
                            .hasMessageContaining("'accounts' depends on module 'users'")
                            .hasMessageContaining("different databases");
                });
    }

    @Test
    void replicaUrlsGiveEveryManagerAReadOnlyReplicaView() {
        // the test database stands in for a replica: the wiring is what is under test (ReplicaTest, in
        // scale-out, reads from a real streaming replica)
        runner.withPropertyValues(MODULES)
                .withPropertyValues(
                        "pgdbm.replica-urls=" + database.url(),
                        "pgdbm.replica-max-lag=5s",
                        "pgdbm.replica-fallback=fail")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DatabaseConfig config = context.getBean(DatabaseConfig.class);
                    assertThat(config.replicas()).hasSize(1);
                    assertThat(config.replicaMaxLag()).contains(java.time.Duration.ofSeconds(5));
                    assertThat(config.replicaFallback()).isEqualTo(io.pgdbm.ReplicaFallback.FAIL);
                    DatabaseManager users = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                            context.getBeanFactory(), DatabaseManager.class, "users");
                    assertThat(users.replica().fetchValue(Long.class, "SELECT count(*) FROM {{tables.users}}"))
                            .isEqualTo(1L);
                    org.assertj.core.api.Assertions.assertThatThrownBy(
                                    () -> users.replica().execute("DELETE FROM {{tables.users}}"))
                            .hasMessageContaining("read-only transaction");
                    assertThat(context.getBean(SharedPool.class).replicaStatus())
                            .singleElement()
                            .satisfies(status -> assertThat(status.serving()).isTrue());
                });
    }

    @Test
    void aModuleThatMustBeDistributedByCitusStopsStartupWithoutCitusOrWithACrossSchemaKey() {
        runner.withPropertyValues(MODULES)
                .withPropertyValues("pgdbm.modules.users.citus=required")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure()))
                            .hasMessageContaining("CREATE EXTENSION citus")
                            .hasMessageContaining("pgdbm.modules.users.citus=when-installed");
                });
        // without Citus installed, when-installed leaves the schema plain and starts
        runner.withPropertyValues(MODULES)
                .withPropertyValues("pgdbm.modules.users.citus=when-installed")
                .run(context -> assertThat(context).hasNotFailed());
        database.manager().execute("CREATE SCHEMA IF NOT EXISTS shared");
        database.manager().execute("CREATE TABLE IF NOT EXISTS shared.plans (id bigint PRIMARY KEY)");
        runner.withPropertyValues(
                        "pgdbm.modules.ledger.migrations=classpath:db/citus_bad",
                        "pgdbm.modules.ledger.citus=when-installed")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure()))
                            .hasMessageContaining("001_accounts.sql:3")
                            .hasMessageContaining("shared.plans");
                });
    }

    @Test
    void theActuatorEndpointShowsThePoolModulesHistoriesAndTenantDrift() {
        runner.withConfiguration(AutoConfigurations.of(PgdbmEndpointConfiguration.class))
                .withPropertyValues(MODULES)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PgdbmEndpointConfiguration.PgdbmEndpoint endpoint =
                            context.getBean(PgdbmEndpointConfiguration.PgdbmEndpoint.class);
                    Map<String, Object> overview = endpoint.overview();
                    assertThat(overview).containsKeys("pool", "modules").doesNotContainKey("replicas");
                    assertThat(overview.get("modules").toString())
                            .contains("name=users, schema=users")
                            .contains("upToDate=true")
                            .contains("atStartup=applied")
                            .contains("name=audit, schema=audit_log");

                    Map<String, Object> users = endpoint.module("users");
                    assertThat(users).containsEntry("historyTable", "users_schema_history");
                    assertThat(users.get("migrations").toString())
                            .contains("state=applied")
                            .contains("appliedAt=");

                    SharedPool pool = context.getBean(SharedPool.class);
                    io.pgdbm.migrations.SchemaProvisioner.of(pool, "classpath:db/users", "users")
                            .provision(java.util.List.of("acct_1", "acct_2"));
                    Map<String, Object> tenants = endpoint.tenants("users", "acct\\_%");
                    assertThat(tenants).containsEntry("schemas", 2);
                    assertThat(tenants.get("states")).isEqualTo(Map.of("up_to_date", 2L));

                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> endpoint.module("payments"))
                            .hasMessageContaining("No module 'payments'");
                });
        runner.withPropertyValues(MODULES)
                .run(context -> assertThat(context).doesNotHaveBean(PgdbmEndpointConfiguration.PgdbmEndpoint.class));
    }

    @Test
    void actuatorFlywayListsEachModulesFlywayAndLeavesTheApplicationsOwnAsItWas() {
        ApplicationContextRunner withFlyway = runner.withConfiguration(AutoConfigurations.of(
                        PgdbmEndpointConfiguration.class,
                        org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration.class,
                        org.springframework.boot.flyway.autoconfigure.FlywayEndpointAutoConfiguration.class))
                .withPropertyValues(MODULES)
                .withPropertyValues("management.endpoints.web.exposure.include=flyway,pgdbm");
        // no Flyway of the application's own: Boot's Flyway is switched off, the endpoint lists pgdbm's modules
        withFlyway
                .withPropertyValues("spring.flyway.enabled=false")
                .withBean(WantsFlyway.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Map<String, org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint.FlywayDescriptor>
                            beans = flywayBeans(context);
                    assertThat(beans).containsOnlyKeys("pgdbm.flyway.users", "pgdbm.flyway.orders");
                    assertThat(beans.get("pgdbm.flyway.users").getMigrations())
                            .isNotEmpty()
                            .allSatisfy(migration -> assertThat(migration.getState())
                                    .isEqualTo(org.flywaydb.core.api.MigrationState.SUCCESS))
                            .allSatisfy(migration ->
                                    assertThat(migration.getInstalledOn()).isNotNull());
                    assertThat(context.getBean(WantsFlyway.class).flyway)
                            .as("pgdbm's Flyway beans are never injected")
                            .isNull();
                    org.flywaydb.core.Flyway users =
                            context.getBean("pgdbm.flyway.users", org.flywaydb.core.Flyway.class);
                    org.assertj.core.api.Assertions.assertThatThrownBy(users::migrate)
                            .isInstanceOf(UnsupportedOperationException.class)
                            .hasMessageContaining("applyPending()");
                });
        // the application's own Flyway (Spring Boot's, on the DataSource) still migrates and is the one injected
        withFlyway
                .withPropertyValues(
                        "spring.flyway.locations=classpath:db/app-own",
                        "spring.flyway.default-schema=app_own",
                        "spring.flyway.table=app_own_history")
                .withBean(WantsFlyway.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    org.flywaydb.core.Flyway own = context.getBean(WantsFlyway.class).flyway;
                    assertThat(own).isNotNull().isSameAs(context.getBean(org.flywaydb.core.Flyway.class));
                    assertThat(own.getConfiguration().getTable()).isEqualTo("app_own_history");
                    assertThat(flywayBeans(context))
                            .containsKeys("flyway", "pgdbm.flyway.users", "pgdbm.flyway.orders");
                    DatabaseManager db = context.getBean(SharedPool.class).manager("app_own");
                    assertThat(db.tableExists("app_own_history")).isTrue();
                    assertThat(db.tableExists("own_things")).isTrue();
                });
    }

    /** Application code that injects a Flyway where there is one. */
    static class WantsFlyway {
        @org.springframework.beans.factory.annotation.Autowired(required = false)
        org.flywaydb.core.Flyway flyway;
    }

    private static Map<String, org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint.FlywayDescriptor>
            flywayBeans(org.springframework.context.ApplicationContext context) {
        return context.getBean(org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint.class)
                .flywayBeans()
                .getContexts()
                .values()
                .iterator()
                .next()
                .getFlywayBeans();
    }

    @Test
    void restartingFindsTheModulesUpToDate() {
        runner.withPropertyValues(MODULES).run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(MODULES)
                .run(context -> assertThat(context.getBean(PgdbmModules.class).migrationResults())
                        .allSatisfy((name, result) ->
                                assertThat(result.status()).isEqualTo(MigrationResult.Status.UP_TO_DATE)));
    }

    @Test
    void modulesCheckedTogetherAtStartupStillMigrateWhenPendingInDependencyOrder() {
        runner.withPropertyValues("pgdbm.modules.users.migrations=classpath:db/users")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(MODULES).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(PgdbmModules.class).migrationResults())
                    .containsOnlyKeys("users", "orders")
                    .hasEntrySatisfying(
                            "users", result -> assertThat(result.status()).isEqualTo(MigrationResult.Status.UP_TO_DATE))
                    .hasEntrySatisfying(
                            "orders", result -> assertThat(result.status()).isEqualTo(MigrationResult.Status.APPLIED));
        });
    }

    @Test
    void aModuleWhoseFilesCannotBeReadStopsStartupBeforeAnyModuleMigrates() {
        runner.withPropertyValues(
                        "pgdbm.modules.users.migrations=classpath:db/users",
                        "pgdbm.modules.unreadable.migrations=classpath:db/unreadable",
                        "pgdbm.modules.unreadable.depends-on=users")
                .run(context -> {
                    assertThat(context).hasFailed();
                    MigrationException migration = findCause(context.getStartupFailure(), MigrationException.class);
                    assertThat(migration.getMessage()).contains("001_empty.sql").contains("'unreadable'");
                });
        try (SharedPool pool =
                SharedPool.create(DatabaseConfig.builder().url(database.url()).build())) {
            assertThat(pool.manager("users").tableExists("users_schema_history"))
                    .as("users, migrated before unreadable, was not migrated either")
                    .isFalse();
        }
    }

    @Test
    void disabledModulesGetNoBean() {
        runner.withPropertyValues(
                        "pgdbm.modules.users.migrations=classpath:db/users", "pgdbm.modules.users.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("pgdbm.module.users"));
    }

    @Test
    void aDependencyCycleStopsStartupNamingTheModules() {
        runner.withPropertyValues("pgdbm.modules.a.depends-on=b", "pgdbm.modules.b.depends-on=a")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure())).hasMessageContaining("cycle: a -> b -> a");
                });
    }

    @Test
    void aFailingMigrationStopsStartupWithFileAndLine() {
        runner.withPropertyValues("pgdbm.modules.broken.migrations=classpath:db/broken")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    assertThat(failure).rootCause().isInstanceOf(org.postgresql.util.PSQLException.class);
                    MigrationException migration = findCause(failure, MigrationException.class);
                    assertThat(migration.file()).contains("002_bad.sql");
                    assertThat(migration.line()).contains(2);
                    FailureAnalysis analysis = new PgdbmFailureAnalyzer().analyze(failure);
                    assertThat(analysis.getDescription())
                            .contains("002_bad.sql")
                            .contains("no_such_type");
                    assertThat(analysis.getAction()).contains("pgdbm.modules.<name>.enabled=false");
                });
    }

    @Test
    void springDatasourcePropertiesWorkWithoutPgdbmUrl() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PgdbmAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=jdbc:postgresql://"
                                + database.server().host() + ":"
                                + database.server().port() + "/" + database.name(),
                        "spring.datasource.username=" + database.server().user())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DatabaseManager.class)
                                    .fetchValue(String.class, "SELECT current_database()"))
                            .isEqualTo(database.name());
                });
    }

    @Test
    void noDatabaseConfiguredFailsWithAdvice() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PgdbmAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(root(context.getStartupFailure()))
                            .hasMessageContaining("No database configured for pgdbm: set pgdbm.url");
                });
    }

    @Test
    void anApplicationsOwnDataSourceUnderItsTransactionManagerStopsStartup() {
        runner.withBean("dataSource", DataSource.class, SimpleDriverDataSource::new)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasMessageContaining("is not the data source of any transaction manager")
                            .hasMessageContaining("@Transactional would not cover pgdbm's work")
                            .hasMessageContaining("pgdbm.check-transaction-manager=false");
                });
    }

    @Test
    void anApplicationsOwnDataSourceIsLeftAloneWhenTheCheckIsOff() {
        runner.withBean("dataSource", DataSource.class, SimpleDriverDataSource::new)
                .withPropertyValues("pgdbm.check-transaction-manager=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
                    assertThat(context.getBean(SharedPool.class)).isNotNull();
                });
    }

    @Test
    void anApplicationsOwnPoolBeanJoinsSpringTransactions() {
        SharedPool[] created = new SharedPool[1];
        runner.withPropertyValues(MODULES)
                .withBean("myPool", SharedPool.class, () -> {
                    created[0] = SharedPool.create(DatabaseConfig.builder()
                            .url(database.url())
                            .maxConnections(4)
                            .build());
                    return created[0];
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SharedPool pool = context.getBean(SharedPool.class);
                    assertThat(pool.connections())
                            .isInstanceOf(org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy.class);
                    assertThat(pool.dataSource()).isSameAs(created[0].dataSource());
                    assertThat(context.getBean(DataSource.class)).isSameAs(created[0].dataSource());
                    DatabaseManager users = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                            context.getBeanFactory(), DatabaseManager.class, "users");
                    TransactionTemplate transactions =
                            new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
                    transactions.executeWithoutResult(status -> {
                        users.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "gone@example.com");
                        context.getBean(DatabaseManager.class)
                                .execute("INSERT INTO users.users (email) VALUES ($1)", "gone-too@example.com");
                        users.dsl()
                                .insertInto(DSL.table(DSL.name("users", "users")), DSL.field(DSL.name("email")))
                                .values("gone-three@example.com")
                                .execute();
                        status.setRollbackOnly();
                    });
                    assertThat(users.fetchValue(Long.class, "SELECT count(*) FROM {{tables.users}}"))
                            .as("a rolled-back transaction leaves nothing, whatever pool the context holds")
                            .isEqualTo(1L);
                });
        assertThat(created[0].isClosed())
                .as("closing the context closes the application's pool")
                .isTrue();
    }

    @Test
    void aPoolThatCannotJoinSpringTransactionsStopsStartup() {
        runner.withBean(
                        "myPool",
                        SharedPool.class,
                        () -> SharedPool.create(
                                DatabaseConfig.builder().url(database.url()).build(),
                                source -> new SimpleDriverDataSource() {
                                    @Override
                                    public java.sql.Connection getConnection() throws java.sql.SQLException {
                                        return source.getConnection();
                                    }
                                }))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("SharedPool bean 'myPool' borrows through")
                            .hasMessageContaining("TransactionAwareDataSourceProxy::new");
                });
    }

    @Test
    void managersJoinSpringTransactions() {
        runner.withPropertyValues(MODULES).run(context -> {
            DatabaseManager users = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                    context.getBeanFactory(), DatabaseManager.class, "users");
            TransactionTemplate transactions =
                    new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            transactions.executeWithoutResult(status -> {
                users.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "rolled-back@example.com");
                users.dsl()
                        .insertInto(DSL.table(DSL.name("users", "users")), DSL.field(DSL.name("email")))
                        .values("also-rolled-back@example.com")
                        .execute();
                assertThat(users.fetchValue(Long.class, "SELECT count(*) FROM {{tables.users}}"))
                        .isEqualTo(3L);
                status.setRollbackOnly();
            });
            assertThat(users.fetchValue(Long.class, "SELECT count(*) FROM {{tables.users}}"))
                    .isEqualTo(1L);

            transactions.executeWithoutResult(status -> {
                users.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "kept@example.com");
                try {
                    users.transaction(tx -> {
                        tx.execute("INSERT INTO {{tables.users}} (email) VALUES ($1)", "savepoint@example.com");
                        throw new IllegalStateException("only the savepoint rolls back");
                    });
                } catch (IllegalStateException expected) {
                    // the Spring transaction continues
                }
            });
            assertThat(users.fetchAll("SELECT email FROM {{tables.users}} ORDER BY id")
                            .getValues("email", String.class))
                    .containsExactly("seed@example.com", "kept@example.com");
        });
    }

    @Test
    void aModuleReachesTheModulesItDependsOnWhereverTheyWereDeployed() {
        runner.withPropertyValues(
                        "pgdbm.modules.accounts.migrations=classpath:db/accounts",
                        "pgdbm.modules.accounts.schema=acme_accounts",
                        "pgdbm.modules.ledger.migrations=classpath:db/ledger",
                        "pgdbm.modules.ledger.schema=acme_ledger",
                        "pgdbm.modules.ledger.depends-on=accounts")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DatabaseManager ledger = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                            context.getBeanFactory(), DatabaseManager.class, "ledger");
                    assertThat(ledger.schemaMappings())
                            .containsEntry("accounts", "acme_accounts")
                            .containsEntry("ledger", "acme_ledger");
                    assertThat(ledger.fetchValue(
                                    String.class,
                                    "SELECT confrelid::regclass::text FROM pg_constraint"
                                            + " WHERE conrelid = 'acme_ledger.entries'::regclass AND contype = 'f'"))
                            .as("ledger's migration referenced accounts where accounts was deployed")
                            .isEqualTo("acme_accounts.accounts");
                    ledger.execute("INSERT INTO {{tables.accounts.accounts}} VALUES (1, 'acme')");
                    assertThat(ledger.dsl()
                                    .selectCount()
                                    .from(DSL.table(DSL.name("accounts", "accounts")))
                                    .fetchOne(0, Integer.class))
                            .isEqualTo(1);
                });
    }

    @Test
    void healthReportsThePoolAndTheModules() {
        runner.withPropertyValues(MODULES).run(context -> {
            Health health = context.getBean("pgdbmHealthIndicator", HealthIndicator.class)
                    .health();
            assertThat(health.getStatus().getCode()).isEqualTo("UP");
            assertThat(health.getDetails())
                    .containsKeys("pool", "connections")
                    .containsEntry("modules", java.util.List.of("users", "orders", "audit"));
        });
        runner.withPropertyValues("management.health.pgdbm.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("pgdbmHealthIndicator"));
    }

    @Test
    void poolGaugesReachMicrometer() {
        runner.run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(PgdbmMetrics.class).bindTo(registry);
            assertThat(registry.get("pgdbm.pool.connections")
                            .tag("state", "max")
                            .gauge()
                            .value())
                    .isEqualTo(4.0);
            assertThat(registry.get("pgdbm.pool.connections")
                            .tag("state", "total")
                            .gauge()
                            .value())
                    .isGreaterThanOrEqualTo(1.0);
        });
    }

    @Test
    void monitoringIsOffUnlessEnabled() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(QueryMonitor.class);
            assertThat(context.getBean(DatabaseManager.class).monitor()).isEmpty();
        });
    }

    @Test
    void monitoringWatchesTheDefaultAndModuleManagersAndFeedsQueryTimers() {
        runner.withPropertyValues(MODULES)
                .withPropertyValues(
                        "pgdbm.monitoring.enabled=true",
                        "pgdbm.monitoring.slow-query-threshold=100ms",
                        "pgdbm.monitoring.history-size=7")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    QueryMonitor monitor = context.getBean(QueryMonitor.class);
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(PgdbmMetrics.class).bindTo(registry);
                    monitor.reset();

                    DatabaseManager users = BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                            context.getBeanFactory(), DatabaseManager.class, "users");
                    users.fetchValue(Long.class, "SELECT count(*) FROM {{tables.users}}");
                    context.getBean(DatabaseManager.class).execute("SELECT pg_sleep(0.15)");

                    assertThat(monitor.stats().count()).isEqualTo(2);
                    assertThat(monitor.stats().slow()).isEqualTo(1);
                    assertThat(monitor.history()).first().satisfies(event -> {
                        assertThat(event.module()).contains("users");
                        assertThat(event.schema()).contains("users");
                    });
                    assertThat(registry.get("pgdbm.queries")
                                    .tag("module", "users")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                    for (int i = 0; i < 10; i++) {
                        users.execute("SELECT 1");
                    }
                    assertThat(monitor.history()).hasSize(7);
                });
    }

    @Test
    void idesCanCompleteTheProperties() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(metadata)
                    .contains("\"pgdbm.url\"")
                    .contains("\"pgdbm.modules\"")
                    .contains("\"pgdbm.max-connections\"")
                    .contains("\"pgdbm.monitoring.slow-query-threshold\"")
                    .contains("statement_timeout");
        }
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
    }
}
