package io.pgdbm.testing;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The extension behind {@link PgdbmTest}; see there. */
public final class PgdbmExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PgdbmExtension.class);
    private static final String DATABASE = "database";
    private static final String SESSION = "rollback-session";
    private static final List<Class<?>> INJECTABLE =
            List.of(DatabaseManager.class, SharedPool.class, TestDatabase.class, TestDatabaseFactory.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Isolation isolation = isolation(context);
        if (isolation == Isolation.PER_CLASS || isolation == Isolation.ROLLBACK) {
            ExtensionContext.Store store = classContext(context).getStore(NAMESPACE);
            TestDatabase database = store.getOrComputeIfAbsent(
                            DATABASE, key -> new Closing(newDatabase(context)), Closing.class)
                    .value(TestDatabase.class);
            if (isolation == Isolation.ROLLBACK) {
                store.getOrComputeIfAbsent(SESSION, key -> new Closing(new RollbackSession(database)), Closing.class);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Isolation isolation = isolation(context);
        if (isolation == Isolation.PER_METHOD) {
            context.getStore(NAMESPACE)
                    .getOrComputeIfAbsent(DATABASE, key -> new Closing(newDatabase(context)), Closing.class);
        } else if (isolation == Isolation.ROLLBACK) {
            session(context).begin();
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance, context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (isolation(context) == Isolation.ROLLBACK) {
            session(context).rollback();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTABLE.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String schema = parameter
                .findAnnotation(InjectDatabase.class)
                .map(InjectDatabase::schema)
                .orElse("");
        try {
            return resolve(parameter.getParameter().getType(), schema, context);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private Object resolve(Class<?> type, String schema, ExtensionContext context) {
        if (type == TestDatabaseFactory.class) {
            return TestDatabaseFactory.shared();
        }
        TestDatabase database = database(context);
        SharedPool pool =
                isolation(context) == Isolation.ROLLBACK ? session(context).pool() : database.pool();
        if (type == TestDatabase.class) {
            return database;
        }
        if (type == SharedPool.class) {
            return pool;
        }
        String effective = schema.isEmpty() ? defaultSchema(context).orElse(null) : schema;
        return effective == null ? pool.manager() : pool.manager(effective);
    }

    private void injectFields(Object instance, ExtensionContext context) throws IllegalAccessException {
        for (Class<?> type = instance.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                InjectDatabase annotation = field.getAnnotation(InjectDatabase.class);
                if (annotation == null) {
                    continue;
                }
                if (!INJECTABLE.contains(field.getType())
                        || Modifier.isStatic(field.getModifiers())
                        || Modifier.isFinal(field.getModifiers())) {
                    throw new ExtensionConfigurationException("@InjectDatabase field " + type.getSimpleName() + "."
                            + field.getName() + " must be a non-static, non-final DatabaseManager, SharedPool,"
                            + " TestDatabase or TestDatabaseFactory");
                }
                field.setAccessible(true);
                field.set(instance, resolve(field.getType(), annotation.schema(), context));
            }
        }
    }

    private TestDatabase database(ExtensionContext context) {
        Isolation isolation = isolation(context);
        ExtensionContext owner = isolation == Isolation.PER_METHOD ? context : classContext(context);
        Closing stored = owner.getStore(NAMESPACE).get(DATABASE, Closing.class);
        TestDatabase database = stored == null ? null : stored.value(TestDatabase.class);
        if (database == null) {
            throw new ExtensionConfigurationException("No test database here: with isolation PER_METHOD a database"
                    + " exists only in test methods and @BeforeEach/@AfterEach (use PER_CLASS for @BeforeAll),"
                    + " or inject TestDatabaseFactory");
        }
        return database;
    }

    private RollbackSession session(ExtensionContext context) {
        return classContext(context)
                .getStore(NAMESPACE)
                .get(SESSION, Closing.class)
                .value(RollbackSession.class);
    }

    private static TestDatabase newDatabase(ExtensionContext context) {
        List<MigrationSpec> specs = migrations(context);
        return specs.isEmpty()
                ? TestDatabaseFactory.shared().create()
                : TestDatabaseFactory.shared().create(specs);
    }

    static List<MigrationSpec> migrations(ExtensionContext context) {
        Class<?> testClass = classContext(context).getRequiredTestClass();
        return Arrays.stream(testClass.getAnnotationsByType(Migrations.class))
                .map(MigrationSpec::of)
                .toList();
    }

    private static Optional<String> defaultSchema(ExtensionContext context) {
        return migrations(context).stream().map(MigrationSpec::schema).findFirst();
    }

    private static Isolation isolation(ExtensionContext context) {
        return classContext(context).getRequiredTestClass().isAnnotationPresent(PgdbmTest.class)
                ? classContext(context)
                        .getRequiredTestClass()
                        .getAnnotation(PgdbmTest.class)
                        .isolation()
                : Isolation.PER_METHOD;
    }

    /**
     * A value kept in JUnit's store and closed when its context ends. JUnit 5 before 5.13 closes only
     * {@code CloseableResource}s (not {@code AutoCloseable}s); 6 closes both, so the value itself is not
     * stored, or 6 would close it twice.
     */
    @SuppressWarnings("deprecation") // CloseableResource: the one type every supported JUnit closes
    private record Closing(AutoCloseable value) implements ExtensionContext.Store.CloseableResource {
        <U> U value(Class<U> type) {
            return type.cast(value);
        }

        @Override
        public void close() throws Throwable {
            value.close();
        }
    }

    /**
     * The context of the test class that owns the configuration and the database: the innermost enclosing
     * class annotated {@link PgdbmTest} (a {@code @Nested} class may carry its own), else the outermost test
     * class (nested classes without the annotation share their outer class's database).
     */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext outermost = null;
        for (ExtensionContext current = context;
                current != null && current.getTestClass().isPresent();
                current = current.getParent().orElse(null)) {
            if (current.getTestMethod().isPresent()) {
                continue; // a method's (or a template invocation's) context: its class's is further up
            }
            if (current.getRequiredTestClass().isAnnotationPresent(PgdbmTest.class)) {
                return current;
            }
            outermost = current;
        }
        return outermost != null ? outermost : context;
    }
}
