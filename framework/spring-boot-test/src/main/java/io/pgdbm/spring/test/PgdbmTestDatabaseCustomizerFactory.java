package io.pgdbm.spring.test;

import java.util.List;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives the context of a test class annotated {@link PgdbmTestDatabase} (directly, on an enclosing class or a
 * superclass) its own database. Registered in {@code META-INF/spring.factories}.
 */
public final class PgdbmTestDatabaseCustomizerFactory implements ContextCustomizerFactory {
    /** The bean name of the context's {@link PgdbmTestDatabaseConnection}. */
    public static final String BEAN_NAME = "pgdbmTestDatabaseConnection";

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, PgdbmTestDatabase.class) ? new Customizer() : null;
    }

    /**
     * Registers the database bean. All instances are equal: the customizer is part of Spring's context cache
     * key, and contexts that differ in nothing else share one context and one database.
     */
    static final class Customizer implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            if (!(context instanceof BeanDefinitionRegistry registry)) {
                throw new IllegalStateException("@PgdbmTestDatabase needs an application context that accepts bean"
                        + " definitions (a GenericApplicationContext, as @SpringBootTest makes); got "
                        + context.getClass().getName());
            }
            RootBeanDefinition definition =
                    new RootBeanDefinition(PgdbmTestDatabaseConnection.class, PgdbmTestDatabaseConnection::new);
            registry.registerBeanDefinition(BEAN_NAME, definition);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
