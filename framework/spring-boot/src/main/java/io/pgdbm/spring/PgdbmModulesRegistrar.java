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
        });
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        // everything happens in postProcessBeanDefinitionRegistry
    }
}
