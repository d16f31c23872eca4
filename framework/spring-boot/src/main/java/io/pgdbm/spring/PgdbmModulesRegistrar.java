package io.pgdbm.spring;

import io.pgdbm.DatabaseManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers a {@link DatabaseManager} bean per enabled {@code pgdbm.modules.<name>}, named {@code
 * pgdbm.module.<name>} and qualified {@code @Qualifier("<name>")}, depending on the beans of the modules it
 * depends on. A cycle or an unknown dependency stops start-up here, naming the modules.
 */
final class PgdbmModulesRegistrar implements BeanDefinitionRegistryPostProcessor {
    static final String PREFIX = "pgdbm.module.";
    /** The name of a module's Flyway bean: {@code pgdbm.flyway.<module>}, the key {@code /actuator/flyway} shows. */
    static final String FLYWAY_PREFIX = "pgdbm.flyway.";

    static final boolean FLYWAY_ENDPOINT_PRESENT = org.springframework.util.ClassUtils.isPresent(
            "org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint",
            PgdbmModulesRegistrar.class.getClassLoader());

    private final Environment environment;

    PgdbmModulesRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        PgdbmProperties properties = Binder.get(environment)
                .bind("pgdbm", Bindable.of(PgdbmProperties.class))
                .orElseGet(PgdbmProperties::new);
        PgdbmModules.graph(properties); // fail fast on cycles and unknown dependencies
        properties.getModules().forEach((name, module) -> {
            if (!module.isEnabled()) {
                return;
            }
            RootBeanDefinition definition = new RootBeanDefinition(DatabaseManager.class);
            definition.setFactoryBeanName("pgdbmModules");
            definition.setFactoryMethodName("create");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
            definition.setDependsOn(module.getDependsOn().stream()
                    .map(dependency -> PREFIX + dependency)
                    .toArray(String[]::new));
            registry.registerBeanDefinition(PREFIX + name, definition);
            if (module.getMigrations() != null && FLYWAY_ENDPOINT_PRESENT) {
                registry.registerBeanDefinition(FLYWAY_PREFIX + name, flywayDefinition(name));
            }
        });
    }

    /**
     * The module's Flyway (read-only: {@link io.pgdbm.migrations.MigrationManager#flyway()}), for Spring Boot's
     * {@code /actuator/flyway}. Not an autowiring candidate: it is never injected where an application asks for
     * a {@code Flyway}, and an application's own Flyway (Spring Boot's, on its DataSource) stays as it was.
     */
    private static RootBeanDefinition flywayDefinition(String name) {
        RootBeanDefinition definition = new RootBeanDefinition(org.flywaydb.core.Flyway.class);
        definition.setFactoryBeanName("pgdbmModules");
        definition.setFactoryMethodName("flyway");
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        definition
                .getConstructorArgumentValues()
                .addIndexedArgumentValue(
                        1, new org.springframework.beans.factory.config.RuntimeBeanReference(PREFIX + name));
        definition.setAutowireCandidate(false);
        // made when something asks for Flyway beans (the endpoint does, per request): nothing at start-up
        definition.setLazyInit(true);
        return definition;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        // everything happens in postProcessBeanDefinitionRegistry
    }
}
