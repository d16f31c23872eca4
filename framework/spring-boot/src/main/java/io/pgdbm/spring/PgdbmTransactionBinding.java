package io.pgdbm.spring;

import io.pgdbm.ConfigurationException;
import io.pgdbm.SharedPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.ResourceTransactionManager;

/**
 * Makes every {@link SharedPool} bean of the context join Spring's transactions, or stops start-up saying why
 * it cannot.
 *
 * <p>The starter's own pool borrows through {@code TransactionAwareDataSourceProxy}. A pool bean the
 * application defines itself ({@code SharedPool.create(config)} in a test configuration, say) would run
 * pgdbm's work outside {@code @Transactional}: rolled-back methods would leave their rows committed. Such a
 * bean is replaced by {@link SharedPool#decorated its transaction-aware view} (same connections; closing it
 * closes the pool). After start-up, every pool must be the data source of a transaction manager whose
 * resource is a {@code DataSource}, when there is one: a transaction manager over another data source would
 * not cover pgdbm's statements.
 */
final class PgdbmTransactionBinding
        implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, EnvironmentAware {
    static final String CHECK_PROPERTY = "pgdbm.check-transaction-manager";

    private static final Logger LOG = LoggerFactory.getLogger(PgdbmTransactionBinding.class);

    private ListableBeanFactory beans;
    private boolean check = true;

    @Override
    public void setEnvironment(Environment environment) {
        this.check = environment.getProperty(CHECK_PROPERTY, Boolean.class, true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beans = (ListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof SharedPool pool) || joinsSpringTransactions(pool)) {
            return bean;
        }
        if (pool.connections() != pool.dataSource()) {
            throw new ConfigurationException("SharedPool bean '" + beanName + "' borrows through "
                    + pool.connections().getClass().getName() + ", so pgdbm's work in it would not join Spring's"
                    + " transactions. Create it with SharedPool.create(config, TransactionAwareDataSourceProxy::new),"
                    + " or leave the pool to the starter.");
        }
        LOG.debug(
                "SharedPool bean '{}' now borrows through TransactionAwareDataSourceProxy, to join Spring's"
                        + " transactions",
                beanName);
        return pool.decorated(TransactionAwareDataSourceProxy::new);
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!check) {
            return;
        }
        Map<String, ResourceTransactionManager> managers = beans.getBeansOfType(ResourceTransactionManager.class);
        List<String> overDataSources = new ArrayList<>();
        managers.forEach((name, manager) -> {
            if (manager.getResourceFactory() instanceof DataSource) {
                overDataSources.add(name);
            }
        });
        if (overDataSources.isEmpty()) {
            return;
        }
        beans.getBeansOfType(SharedPool.class).forEach((poolName, pool) -> {
            DataSource ours = target(pool.dataSource());
            boolean covered = overDataSources.stream()
                    .anyMatch(name -> target((DataSource) managers.get(name).getResourceFactory()) == ours);
            if (!covered) {
                throw new ConfigurationException("SharedPool bean '" + poolName + "' is not the data source of any"
                        + " transaction manager (" + String.join(", ", overDataSources) + ": each over another data"
                        + " source), so @Transactional would not cover pgdbm's work. Give the transaction manager"
                        + " the pool's dataSource(), or remove your own DataSource bean so that the starter's pool"
                        + " is the application's DataSource. If pgdbm's work is meant to run outside those"
                        + " transactions, set " + CHECK_PROPERTY + "=false.");
            }
        });
    }

    private static boolean joinsSpringTransactions(SharedPool pool) {
        return pool.connections() instanceof TransactionAwareDataSourceProxy;
    }

    private static DataSource target(DataSource dataSource) {
        DataSource current = dataSource;
        while (current instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
            current = proxy.getTargetDataSource();
        }
        return current;
    }
}
