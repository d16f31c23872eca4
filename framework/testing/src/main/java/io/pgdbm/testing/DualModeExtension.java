package io.pgdbm.testing;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** Provides the two runs of a {@link DualModeTest}. */
final class DualModeExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(DualModeTest.class))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        String schema = context.getRequiredTestMethod()
                .getAnnotation(DualModeTest.class)
                .schema();
        return Stream.of(DualMode.Mode.STANDALONE, DualMode.Mode.LIBRARY).map(mode -> new Run(mode, schema));
    }

    private record Run(DualMode.Mode mode, String schema) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + mode.name().toLowerCase(java.util.Locale.ROOT) + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new RunResolver(mode, schema));
        }
    }

    /** Gives the run its {@link DualMode} on a fresh database, and drops that database afterwards. */
    private static final class RunResolver implements ParameterResolver, AfterEachCallback {
        private final DualMode.Mode mode;
        private final String schema;
        private TestDatabase database;

        RunResolver(DualMode.Mode mode, String schema) {
            this.mode = mode;
            this.schema = schema;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == DualMode.class;
        }

        @Override
        public synchronized Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (database == null) {
                database = TestDatabaseFactory.shared().create();
            }
            return new DualMode(mode, database, schema);
        }

        @Override
        public synchronized void afterEach(ExtensionContext context) {
            if (database != null) {
                database.close();
                database = null;
            }
        }
    }
}
