package io.pgdbm.internal.migrations;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Hands Flyway a script configuration ({@code <file>.conf} with {@code executeInTransaction=false}) for
 * each file marked {@code -- pgdbm:no-transaction}, and nothing else: migrations come from the resolver,
 * so Flyway never scans the class path itself.
 */
final class ScriptConfigProvider implements ResourceProvider {
    private static final String SUFFIX = ".conf";
    private final Set<String> nonTransactional;

    ScriptConfigProvider(Collection<MigrationFile> files) {
        this.nonTransactional = Set.copyOf(files.stream()
                .filter(f -> !f.transactional())
                .map(MigrationFile::fileName)
                .toList());
    }

    @Override
    public LoadableResource getResource(String name) {
        if (name.endsWith(SUFFIX) && nonTransactional.contains(name.substring(0, name.length() - SUFFIX.length()))) {
            return new TextResource(name, "executeInTransaction=false\n", name);
        }
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return List.of();
    }
}
