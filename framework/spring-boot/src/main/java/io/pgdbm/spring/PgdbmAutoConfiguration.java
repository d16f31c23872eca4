package io.pgdbm.spring;

import io.pgdbm.ConfigurationException;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.monitoring.QueryMonitor;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * pgdbm for Spring Boot: one {@link SharedPool} (exposed as the {@code DataSource} when the application
 * defines none), a default {@link DatabaseManager}, and one manager bean per {@code pgdbm.modules.<name>},
 * qualified by the module name, each module's migrations applied at start-up in dependency order.
 *
 * <p>Managers borrow connections through Spring's {@code TransactionAwareDataSourceProxy}: inside a
 * {@code @Transactional} method (or a {@code TransactionTemplate}) their verbs and {@code dsl()} run in
 * Spring's transaction, and a manager's own {@code transaction(...)} becomes a savepoint in it.
 */
@AutoConfiguration(before = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class})
@EnableConfigurationProperties(PgdbmProperties.class)
public class PgdbmAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static PgdbmModulesRegistrar pgdbmModulesRegistrar(Environment environment) {
        return new PgdbmModulesRegistrar(environment);
    }

    /** Every SharedPool bean joins Spring's transactions, the application's own included. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static PgdbmTransactionBinding pgdbmTransactionBinding() {
        return new PgdbmTransactionBinding();
    }

    /**
     * The pool's configuration: from a service connection when there is one (a {@link JdbcConnectionDetails}
     * bean: Spring Boot's Testcontainers {@code @ServiceConnection}, Docker Compose, or pgdbm-spring-boot-test's
     * {@code @PgdbmTestDatabase}), else {@code pgdbm.url}, {@code spring.datasource.url}, the environment.
     */
    @Bean
    @ConditionalOnMissingBean
    DatabaseConfig pgdbmDatabaseConfig(
            PgdbmProperties properties, Environment environment, ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanNamesForType(JdbcConnectionDetails.class)) {
            JdbcConnectionDetails details = beanFactory.getBean(name, JdbcConnectionDetails.class);
            if (!details.getClass().getName().endsWith(".PropertiesJdbcConnectionDetails")) {
                // the pool (which needs this configuration) closes before the service connection goes away
                beanFactory.registerDependentBean(name, "pgdbmDatabaseConfig");
                return databaseConfig(properties, environment, System.getenv(), details);
            }
        }
        return databaseConfig(properties, environment, System.getenv(), null);
    }

    static DatabaseConfig databaseConfig(PgdbmProperties properties, Environment environment, Map<String, String> env) {
        return databaseConfig(properties, environment, env, null);
    }

    static DatabaseConfig databaseConfig(
            PgdbmProperties properties,
            Environment environment,
            Map<String, String> env,
            JdbcConnectionDetails connection) {
        DatabaseConfig.Builder builder = DatabaseConfig.builder();
        String springUrl = environment.getProperty("spring.datasource.url");
        if (connection != null) {
            builder.url(connection.getJdbcUrl());
            if (connection.getUsername() != null) {
                builder.user(connection.getUsername());
            }
            if (connection.getPassword() != null) {
                builder.password(connection.getPassword());
            }
        } else if (properties.getUrl() != null && !properties.getUrl().isBlank()) {
            builder.url(properties.getUrl());
        } else if (springUrl != null && !springUrl.isBlank()) {
            builder.url(springUrl);
            String user = environment.getProperty("spring.datasource.username");
            String password = environment.getProperty("spring.datasource.password");
            if (user != null) {
                builder.user(user);
            }
            if (password != null) {
                builder.password(password);
            }
        } else if (env.containsKey("DATABASE_URL") || env.containsKey("PGHOST") || env.containsKey("PGDATABASE")) {
            builder.fromEnvironment(env);
        } else {
            throw new ConfigurationException("No database configured for pgdbm: set pgdbm.url (for example"
                    + " postgresql://user:password@localhost:5432/app), spring.datasource.url, or DATABASE_URL");
        }
        if (properties.getSchema() != null) {
            builder.schema(properties.getSchema());
        }
        if (properties.getMinConnections() != null) {
            builder.minConnections(properties.getMinConnections());
        }
        if (properties.getMaxConnections() != null) {
            builder.maxConnections(properties.getMaxConnections());
        }
        if (properties.getConnectTimeout() != null) {
            builder.connectTimeout(properties.getConnectTimeout());
        }
        if (properties.getAcquireTimeout() != null) {
            builder.acquireTimeout(properties.getAcquireTimeout());
        }
        if (properties.getStatementTimeout() != null) {
            builder.statementTimeout(zeroDisables(properties.getStatementTimeout()));
        }
        if (properties.getLockTimeout() != null) {
            builder.lockTimeout(zeroDisables(properties.getLockTimeout()));
        }
        if (properties.getIdleInTransactionSessionTimeout() != null) {
            builder.idleInTransactionSessionTimeout(zeroDisables(properties.getIdleInTransactionSessionTimeout()));
        }
        String applicationName = properties.getApplicationName() != null
                ? properties.getApplicationName()
                : environment.getProperty("spring.application.name");
        if (applicationName != null) {
            builder.applicationName(applicationName);
        }
        properties.getServerSettings().forEach(builder::serverSetting);
        if (properties.isTransactionPooling()) {
            builder.transactionPooling(true);
        }
        if (!properties.getReplicaUrls().isEmpty()) {
            builder.replicaUrls(properties.getReplicaUrls());
        }
        if (properties.getReplicaMaxLag() != null) {
            builder.replicaMaxLag(properties.getReplicaMaxLag());
        }
        builder.replicaFallback(properties.getReplicaFallback());
        if (properties.getMigrationUrl() != null
                && !properties.getMigrationUrl().isBlank()) {
            builder.migrationUrl(properties.getMigrationUrl());
        }
        return builder.build();
    }

    private static Duration zeroDisables(Duration duration) {
        return duration.isZero() ? null : duration;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SharedPool pgdbmSharedPool(DatabaseConfig config) {
        return SharedPool.create(config, TransactionAwareDataSourceProxy::new);
    }

    @Bean
    @ConditionalOnMissingBean(DataSource.class)
    DataSource dataSource(SharedPool pool) {
        return pool.dataSource();
    }

    /** A query monitor for the starter's managers when {@code pgdbm.monitoring.enabled=true}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "pgdbm.monitoring", name = "enabled", havingValue = "true")
    QueryMonitor pgdbmQueryMonitor(PgdbmProperties properties) {
        PgdbmProperties.Monitoring monitoring = properties.getMonitoring();
        return QueryMonitor.builder()
                .slowQueryThreshold(monitoring.getSlowQueryThreshold())
                .historySize(monitoring.getHistorySize())
                .recordParameters(monitoring.isRecordParameters())
                .build();
    }

    @Bean
    PgdbmModules pgdbmModules(SharedPool pool, PgdbmProperties properties, ObjectProvider<QueryMonitor> monitor) {
        return new PgdbmModules(pool, properties, monitor.getIfAvailable());
    }

    /** The manager injected where no module is named: the pool's default schema ({@code pgdbm.schema}). */
    @Bean
    @Primary
    @ConditionalOnMissingBean(name = "pgdbmDatabaseManager")
    DatabaseManager pgdbmDatabaseManager(SharedPool pool, ObjectProvider<QueryMonitor> monitor) {
        QueryMonitor attached = monitor.getIfAvailable();
        return attached == null ? pool.manager() : pool.manager().withMonitor(attached);
    }
}
