package io.pgdbm.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.ConfigurationException;
import org.junit.jupiter.api.Test;

class ModuleGraphTest {

    @Test
    void ordersEveryModuleAfterItsDependenciesKeepingDeclarationOrderOtherwise() {
        ModuleGraph graph = ModuleGraph.builder()
                .module("billing", "orders")
                .module("reports")
                .module("orders", "users")
                .module("users")
                .build();
        assertThat(graph.order()).containsExactly("users", "orders", "billing", "reports");
        assertThat(graph.orderFor("billing")).containsExactly("users", "orders", "billing");
        assertThat(graph.orderFor("reports")).containsExactly("reports");
        assertThat(graph.dependenciesOf("orders")).containsExactly("users");
    }

    @Test
    void aCycleIsAnErrorNamingItsModules() {
        assertThatThrownBy(() -> ModuleGraph.builder()
                        .module("a", "b")
                        .module("b", "c")
                        .module("c", "a")
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cycle: a -> b -> c -> a");
        assertThatThrownBy(() -> ModuleGraph.builder().module("self", "self").build())
                .hasMessageContaining("cycle: self -> self");
    }

    @Test
    void anUnknownDependencyIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ModuleGraph.builder().module("orders", "users").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("module 'orders' depends on 'users', which is not declared");
        assertThatThrownBy(() -> ModuleGraph.builder().module("a").build().orderFor("b"))
                .hasMessageContaining("unknown module 'b'");
        assertThatThrownBy(() -> ModuleGraph.builder().module("a").module("a")).hasMessageContaining("declared twice");
    }
}
