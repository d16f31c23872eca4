package io.pgdbm;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class one {@link TestDatabase} (created on first use, dropped after the class) and, for
 * convenience, one {@link SharedPool} on it. Inject either as a parameter of a constructor, a lifecycle
 * method or a test.
 */
public final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == SharedPool.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        ExtensionContext.Store store = classContext.getStore(NAMESPACE);
        TestDatabase database = store.computeIfAbsent("database", key -> TestDatabase.create(), TestDatabase.class);
        if (parameter.getParameter().getType() == TestDatabase.class) {
            return database;
        }
        return store.computeIfAbsent(
                "pool", key -> SharedPool.create(database.config().build()), SharedPool.class);
    }

    /** The class-level context: a test method's parent, or the class context itself. */
    private static ExtensionContext classContext(ExtensionContext context) {
        return context.getTestMethod().isPresent() ? context.getParent().orElseThrow() : context;
    }
}
