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
