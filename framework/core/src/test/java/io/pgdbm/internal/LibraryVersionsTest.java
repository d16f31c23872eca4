package io.pgdbm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibraryVersionsTest {

    @Test
    void theClassPathsVersionsPass() {
        LibraryVersions.check();
    }

    @Test
    void theVersionsReadAreTheOnesOnTheClassPath() {
        java.util.Properties built = LibraryVersions.built();
        assertThat(LibraryVersions.flyway()).isEqualTo(built.getProperty("flyway"));
        assertThat(LibraryVersions.hikari()).isEqualTo(built.getProperty("hikaricp"));
        assertThat(LibraryVersions.jooq()).isEqualTo(built.getProperty("jooq"));
    }

    @Test
    void versionsCompareByTheirNumbers() {
        assertThat(LibraryVersions.compare("12.10.1", "12.4.0")).isPositive();
        assertThat(LibraryVersions.compare("12.4", "12.4.0")).isZero();
        assertThat(LibraryVersions.compare("7.0.2", "7.0.0")).isPositive();
        assertThat(LibraryVersions.compare("11.20.3", "12.4.0")).isNegative();
        assertThat(LibraryVersions.compare("3.21.0-SNAPSHOT", "3.21.0")).isZero();
    }

    @Test
    void bootsManagedVersionsPassAndOlderOnesNameWhatToSet() {
        assertThat(LibraryVersions.problems("12.4.0", "7.0.2", "3.21.9"))
                .as("what Spring Boot 4.1 manages")
                .isEmpty();
        assertThat(LibraryVersions.problems(null, null, null))
                .as("unknown versions are not checked")
                .isEmpty();
        assertThat(LibraryVersions.problems("11.20.3", "6.3.0", "3.19.1"))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p)
                        .contains("pgdbm needs Flyway 12.4.0 or newer but the class path has 11.20.3")
                        .contains("set the flyway.version property to ")
                        .doesNotContain("to null"))
                .anySatisfy(
                        p -> assertThat(p).contains("HikariCP 7.0.0 or newer").contains("hikaricp.version"))
                .anySatisfy(p -> assertThat(p).contains("jOOQ 3.21.x").contains("has 3.19.1"));
        assertThat(LibraryVersions.problems("13.12.0", "7.1.0", "3.22.0"))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("jOOQ 3.21.x");
    }
}
