package io.pgdbm.migrations;

import io.pgdbm.ConfigurationException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Modules and what they depend on, in an order that puts every module after its dependencies: the order
 * in which to apply their migrations. Immutable; made by {@link #builder()}.
 *
 * <pre>{@code
 * ModuleGraph graph = ModuleGraph.builder()
 *     .module("users")
 *     .module("orders", "users")
 *     .module("billing", "orders")
 *     .build();
 * graph.order();              // [users, orders, billing]
 * graph.orderFor("billing");  // billing and everything it needs: [users, orders, billing]
 * }</pre>
 *
 * <p>Among modules that do not depend on each other, declaration order is kept.
 */
public final class ModuleGraph {
    private final Map<String, List<String>> dependencies;
    private final List<String> order;

    private ModuleGraph(Map<String, List<String>> dependencies, List<String> order) {
        this.dependencies = dependencies;
        this.order = order;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every module, each after its dependencies. */
    public List<String> order() {
        return order;
    }

    /**
     * {@code modules} and everything they depend on, directly or not, in dependency order.
     *
     * @throws ConfigurationException for a module that was not declared
     */
    public List<String> orderFor(String... modules) {
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String module : modules) {
            requireKnown(module);
            todo.add(module);
        }
        while (!todo.isEmpty()) {
            String module = todo.poll();
            if (needed.add(module)) {
                todo.addAll(dependencies.get(module));
            }
        }
        return order.stream().filter(needed::contains).toList();
    }

    /** The direct dependencies of {@code module}. */
    public List<String> dependenciesOf(String module) {
        requireKnown(module);
        return dependencies.get(module);
    }

    /** How many modules {@link #applyPending(Function)} checks at once. */
    public static final int DEFAULT_PARALLELISM = 4;

    /**
     * Applies every module's pending migrations, each module after its dependencies, as calling {@link
     * MigrationManager#applyPending()} on each in {@link #order()} does; but first reads every module's files and
     * checks its history, {@value #DEFAULT_PARALLELISM} modules at a time ({@link #upToDate}). A module whose files
     * cannot be read stops the run before anything is applied, and the checks' round trips overlap (what that saves
     * grows with the distance to the server; next to a local one, a cold JVM's own work dominates).
     *
     * <pre>{@code
     * graph.applyPending(module -> MigrationManager.of(pool.manager(module), "classpath:db/" + module, module));
     * }</pre>
     *
     * @param managers the migration manager of a module, by name; null for a module with no migrations
     * @return what was done for each module, in dependency order (modules without a manager left out)
     * @throws MigrationException what {@link #upToDate} throws, before anything is applied; or the first failing
     *     module's failure, after the modules before it were applied (later ones are not)
     */
    public List<MigrationResult> applyPending(Function<String, MigrationManager> managers) {
        return applyPending(managers, DEFAULT_PARALLELISM);
    }

    /** {@link #applyPending(Function)}, checking up to {@code parallelism} modules at once (1: one by one). */
    public List<MigrationResult> applyPending(Function<String, MigrationManager> managers, int parallelism) {
        List<MigrationResult> results = new ArrayList<>();
        for (Checked module : check(managers, parallelism)) {
            results.add(
                    module.result() != null ? module.result() : module.manager().applyPending());
        }
        return results;
    }

    /**
     * The modules {@link MigrationManager#applyPending()} would find nothing to do for, with what it would return:
     * their files are read and their histories checked up to {@code parallelism} at a time, on threads of this
     * call's own (ended when it returns), nothing changed, no lock taken.
     *
     * @param managers the migration manager of a module, by name; null for a module to leave out
     * @throws MigrationException for the first module, in dependency order, whose check failed (files that cannot
     *     be read, a history that cannot be queried), once every check has ended; other failures as they are
     * @throws IllegalArgumentException when {@code parallelism} is less than 1
     */
    public Map<String, MigrationResult> upToDate(Function<String, MigrationManager> managers, int parallelism) {
        Map<String, MigrationResult> upToDate = new LinkedHashMap<>();
        for (Checked module : check(managers, parallelism)) {
            if (module.result() != null) {
                upToDate.put(module.name(), module.result());
            }
        }
        return upToDate;
    }

    /** A module's manager and, when it has nothing to apply, the result saying so. */
    private record Checked(String name, MigrationManager manager, MigrationResult result) {}

    private List<Checked> check(Function<String, MigrationManager> managers, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        ClassLoader caller = Thread.currentThread().getContextClassLoader();
        List<Future<Checked>> checks = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(
                Math.max(1, Math.min(parallelism, order.size())),
                Thread.ofPlatform().name("pgdbm-migration-check-", 1).daemon().factory());
        try {
            for (String module : order) {
                checks.add(threads.submit(() -> {
                    // classpath: locations are read through the caller's loader (Spring Boot's, in a fat jar)
                    Thread.currentThread().setContextClassLoader(caller);
                    MigrationManager manager = managers.apply(module);
                    return manager == null ? null : new Checked(module, manager, manager.upToDate());
                }));
            }
            List<Checked> checked = new ArrayList<>();
            RuntimeException first = null;
            for (int i = 0; i < checks.size(); i++) {
                try {
                    Checked module = checks.get(i).get();
                    if (module != null) {
                        checked.add(module);
                    }
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = failure(order.get(i), e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            return checked;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(
                    "Interrupted while checking the migrations of modules " + order,
                    String.join(", ", order),
                    null,
                    null,
                    null,
                    null,
                    e);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A check's failure as thrown: unchecked ones as they are, anything else (a checked one thrown from Kotlin) wrapped. */
    private static RuntimeException failure(String module, Throwable cause) {
        if (cause instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new MigrationException(
                "Checking the migrations of module '" + module + "' failed: " + cause,
                module,
                null,
                null,
                null,
                null,
                cause);
    }

    public boolean contains(String module) {
        return dependencies.containsKey(module);
    }

    private void requireKnown(String module) {
        if (!dependencies.containsKey(module)) {
            throw new ConfigurationException(
                    "unknown module '" + module + "'; known modules: " + dependencies.keySet());
        }
    }

    @Override
    public String toString() {
        return "ModuleGraph" + order;
    }

    /** Declares modules; {@link #build()} checks the graph. Not thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> dependencies = new LinkedHashMap<>();

        private Builder() {}

        /** Declares {@code name}, depending on {@code dependsOn} (declared before or after). */
        public Builder module(String name, String... dependsOn) {
            return module(name, List.of(dependsOn));
        }

        public Builder module(String name, Collection<String> dependsOn) {
            if (name == null || name.isBlank()) {
                throw new ConfigurationException("a module name must not be blank");
            }
            if (dependencies.containsKey(name)) {
                throw new ConfigurationException("module '" + name + "' is declared twice");
            }
            dependencies.put(name, List.copyOf(new LinkedHashSet<>(dependsOn)));
            return this;
        }

        /**
         * Checks the graph and orders it.
         *
         * @throws ConfigurationException naming a dependency that is not declared, or the modules of a cycle
         */
        public ModuleGraph build() {
            for (Map.Entry<String, List<String>> module : dependencies.entrySet()) {
                for (String dependency : module.getValue()) {
                    if (!dependencies.containsKey(dependency)) {
                        throw new ConfigurationException("module '" + module.getKey() + "' depends on '" + dependency
                                + "', which is not declared; declare it or remove the dependency");
                    }
                }
            }
            List<String> order = new ArrayList<>();
            Map<String, Integer> state = new LinkedHashMap<>(); // 1 = visiting, 2 = done
            for (String module : dependencies.keySet()) {
                visit(module, state, order, new ArrayList<>());
            }
            Map<String, List<String>> frozen = new LinkedHashMap<>(dependencies);
            return new ModuleGraph(java.util.Collections.unmodifiableMap(frozen), List.copyOf(order));
        }

        private void visit(String module, Map<String, Integer> state, List<String> order, List<String> path) {
            Integer current = state.get(module);
            if (current != null && current == 2) {
                return;
            }
            path.add(module);
            if (current != null) {
                List<String> cycle = path.subList(path.indexOf(module), path.size());
                throw new ConfigurationException("modules depend on each other in a cycle: "
                        + String.join(" -> ", cycle) + "; remove one of these dependencies");
            }
            state.put(module, 1);
            for (String dependency : dependencies.get(module)) {
                visit(dependency, state, order, path);
            }
            state.put(module, 2);
            order.add(module);
            path.remove(path.size() - 1);
        }
    }
}
