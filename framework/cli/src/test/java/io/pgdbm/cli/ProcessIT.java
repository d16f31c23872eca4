package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.testing.TestDatabase;
import io.pgdbm.testing.TestDatabaseFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI as a real process: the launcher script, the runnable jar, exit codes. */
class ProcessIT {
    @TempDir
    Path dir;

    record Result(int exitCode, String output) {}

    private static Path launcher() {
        return Path.of(System.getProperty("pgdbm.repo.root", "../.."), "framework/cli/bin/pgdbm")
                .toAbsolutePath();
    }

    private Result pgdbm(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", launcher().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("DATABASE_URL");
        builder.environment().remove("PGDBM_CONFIG");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = pgdbm(Map.of(), "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("pgdbm 0.");
        Result help = pgdbm(Map.of(), "--help");
        assertThat(help.output()).contains("migrate").contains("codegen").contains("Exit codes");
        assertThat(pgdbm(Map.of(), "no-such-command").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void migratesAndReportsFailuresWithExitCodes() throws Exception {
        try (TestDatabase database = TestDatabaseFactory.shared().create()) {
            Files.createDirectories(dir.resolve("migrations"));
            Files.writeString(dir.resolve("migrations/001_notes.sql"), "CREATE TABLE {{tables.notes}} (id int);");
            Map<String, String> env = Map.of("DATABASE_URL", database.url());

            Result applied = pgdbm(env, "migrate", "apply");
            assertThat(applied.exitCode()).as(applied.output()).isZero();
            assertThat(applied.output()).contains("✓ default: 001_notes.sql");
            // libraries stay quiet without --verbose
            assertThat(applied.output()).doesNotContain("HikariPool").doesNotContain("INFO");

            Files.writeString(dir.resolve("migrations/002_broken.sql"), "CREATE TABLE {{tables.notes}} (id int);");
            Result failed = pgdbm(env, "migrate", "apply");
            assertThat(failed.exitCode()).as(failed.output()).isEqualTo(ExitCodes.MIGRATION);
            assertThat(failed.output()).contains("002_broken.sql").contains("already exists");
            // our one error, and no library's log lines (Flyway's [ERROR] … DbMigrate) beside it
            assertThat(failed.output().lines().filter(line -> line.startsWith("pgdbm: ")))
                    .hasSize(1);
            assertThat(failed.output().lines()).noneMatch(line -> line.startsWith("["));
            assertThat(failed.output()).doesNotContain("DbMigrate").doesNotContain("org.flywaydb");
            Result verbose = pgdbm(env, "--verbose", "migrate", "apply");
            assertThat(verbose.output())
                    .as("--verbose shows the libraries' lines")
                    .contains("org.flywaydb");

            Result status = pgdbm(env, "migrate", "status", "--json");
            assertThat(status.exitCode()).isZero();
            assertThat(status.output()).contains("\"state\": \"applied\"").contains("\"state\": \"pending\"");
        }
    }

    @Test
    void connectionAndConfigurationFailuresHaveTheirExitCodes() throws Exception {
        Result refused =
                pgdbm(Map.of("DATABASE_URL", "postgresql://app:hunter2@127.0.0.1:1/app"), "db", "test-connection");
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(ExitCodes.CONNECTION);
        assertThat(refused.output()).doesNotContain("hunter2");
        Result unconfigured = pgdbm(Map.of(), "db", "info");
        assertThat(unconfigured.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(unconfigured.output()).contains("No database configured");
        Result declined = pgdbm(Map.of("DATABASE_URL", "postgresql://app@127.0.0.1:1/app"), "db", "drop");
        assertThat(declined.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
    }
}
