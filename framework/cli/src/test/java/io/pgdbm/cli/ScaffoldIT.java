package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pgdbm generate library} must give a library that builds and passes its own tests: generated, given
 * a test of its migrations by {@code pgdbm generate tests}, then built with its own Maven wrapper (as its
 * "Next:" line says) against the pgdbm artifacts this build installed (the invoker plugin's install goal, in
 * pre-integration-test).
 */
class ScaffoldIT {
    @TempDir
    Path dir;

    @Test
    void theScaffoldedLibraryBuildsAndPassesItsTests() throws Exception {
        Cli.Run generated = new Cli(dir).run("generate", "library", "inventory", "--with-api");
        assertThat(generated.exitCode()).as(generated.all()).isZero();
        assertThat(generated.out()).contains("Next: cd inventory && ./mvnw verify");
        Path library = dir.resolve("inventory");
        // and a test of its migrations, from the library's own pgdbm.toml
        Cli.Run tests = new Cli(library).run("generate", "tests", "--module", "inventory");
        assertThat(tests.exitCode()).as(tests.all()).isZero();

        // the library's own wrapper, as its "Next:" line says: a machine with only a JDK builds it
        ProcessBuilder maven = new ProcessBuilder(library.resolve("mvnw").toString(), "-B", "-q", "verify")
                .directory(library.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("build.log").toFile());
        maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
        maven.environment().put("MAVEN_OPTS", "-Xmx512m");
        Process build = maven.start();
        assertThat(build.waitFor(15, TimeUnit.MINUTES)).as("build finished").isTrue();
        String log = Files.readString(dir.resolve("build.log"), StandardCharsets.UTF_8);
        assertThat(build.exitValue()).as("mvn verify of the scaffold:\n%s", log).isZero();

        Path reports = library.resolve("target/surefire-reports");
        List<String> results;
        try (Stream<Path> files = Files.list(reports)) {
            results = files.filter(f -> f.toString().endsWith(".txt"))
                    .map(ScaffoldIT::read)
                    .toList();
        }
        assertThat(String.join(File.separator, results))
                .contains("InventoryTest")
                .contains("InventoryApiTest")
                .contains("InventoryMigrationsTest")
                .doesNotContain("FAILURE");
        assertThat(results).allSatisfy(r -> assertThat(r).contains("Failures: 0, Errors: 0, Skipped: 0"));
        assertThat(library.resolve("target/generated-sources/pgdbm/com/example/inventory/db/InventoryModule.java"))
                .exists();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
