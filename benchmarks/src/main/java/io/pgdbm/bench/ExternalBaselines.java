package io.pgdbm.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Baselines outside the JVM, each run only where its program exists: {@code pgbench -S -M prepared -c1} (the
 * server's floor for S1), {@code psql \copy} (S3), and asyncpg (S1, S3) under Debian's python3 with
 * python3-asyncpg. A missing program is reported with the reason, never faked.
 */
final class ExternalBaselines {
    /** A measured figure, or why there is none. */
    record Figure(Optional<Double> value, String note) {
        static Figure of(double value, String note) {
            return new Figure(Optional.of(value), note);
        }

        static Figure skipped(String why) {
            return new Figure(Optional.empty(), why);
        }
    }

    private final BenchEnvironment environment;
    private final Path scripts;
    private final List<String> skipped = new ArrayList<>();

    ExternalBaselines(BenchEnvironment environment, Path scripts) {
        this.environment = environment;
        this.scripts = scripts;
    }

    List<String> skipped() {
        return skipped;
    }

    /** pgbench -S -M prepared -c1 over TCP: transactions per second, one connection. */
    Figure pgbench(int seconds) {
        if (!onPath("pgbench")) {
            return skip("pgbench: not installed (Debian package postgresql-client or postgresql-contrib)");
        }
        String database = "pgdbm_pgbench";
        environment.admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        environment.admin("CREATE DATABASE " + database);
        try {
            run(Map.of(), "pgbench", "-i", "-s", "1", "-q", libpq(database));
            String out = run(
                    Map.of(),
                    "pgbench",
                    "-S",
                    "-M",
                    "prepared",
                    "-c",
                    "1",
                    "-T",
                    Integer.toString(seconds),
                    "-n",
                    libpq(database));
            Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
            return tps.find()
                    ? Figure.of(Double.parseDouble(tps.group(1)), "pgbench -S -M prepared -c1 -T " + seconds)
                    : skip("pgbench: no tps in its output");
        } catch (IOException e) {
            return skip("pgbench failed: " + e.getMessage());
        } finally {
            environment.admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** psql \copy of the S3 rows as CSV: rows per second, best of three. */
    Figure psqlCopy() {
        if (!onPath("psql")) {
            return skip("psql \\copy: psql not installed (Debian package postgresql-client)");
        }
        try {
            Path csv = Files.createTempFile("pgdbm-s3-", ".csv");
            try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                OffsetDateTime start = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
                for (int i = 0; i < BulkLoad.ROWS; i++) {
                    out.write(i + ",\"row number " + i + " with\ttab\"," + java.math.BigDecimal.valueOf(i % 100_000, 2)
                            + "," + (i % 1000) + "," + start.plusSeconds(i) + "," + (i % 2 == 0) + "\n");
                }
            }
            double best = Double.MAX_VALUE;
            for (int attempt = 0; attempt < 3; attempt++) {
                run(Map.of(), "psql", libpq(BenchEnvironment.DATABASE), "-q", "-c", "TRUNCATE bench.copy_target");
                long began = System.nanoTime();
                run(
                        Map.of(),
                        "psql",
                        libpq(BenchEnvironment.DATABASE),
                        "-q",
                        "-c",
                        "\\copy bench.copy_target FROM '" + csv + "' WITH (FORMAT csv)");
                best = Math.min(best, (System.nanoTime() - began) / 1e9);
            }
            Files.delete(csv);
            return Figure.of(BulkLoad.ROWS / best, "psql \\copy CSV, best of 3 (includes psql start-up)");
        } catch (IOException e) {
            return skip("psql \\copy failed: " + e.getMessage());
        }
    }

    /** asyncpg single-connection prepared point selects: queries per second. */
    Figure asyncpgPointSelect(int seconds) {
        return asyncpg("s1_point_select.py", Integer.toString(seconds));
    }

    /** asyncpg copy_records_to_table of the S3 rows: rows per second, best of three. */
    Figure asyncpgCopy() {
        return asyncpg("s3_copy_records.py");
    }

    private Figure asyncpg(String script, String... args) {
        String python = "/usr/bin/python3";
        if (!Files.isExecutable(Path.of(python))) {
            return skip("asyncpg: no /usr/bin/python3");
        }
        try {
            run(Map.of(), python, "-c", "import asyncpg");
        } catch (IOException e) {
            return skip("asyncpg: not installed for /usr/bin/python3 (apt-get install python3-asyncpg)");
        }
        List<String> command =
                new ArrayList<>(List.of(python, scripts.resolve(script).toString(), environment.url));
        command.addAll(List.of(args));
        try {
            String out = run(Map.of(), command.toArray(String[]::new));
            return Figure.of(
                    Double.parseDouble(out.strip().lines().reduce((a, b) -> b).orElseThrow()),
                    "asyncpg " + asyncpgVersion(python));
        } catch (IOException | RuntimeException e) {
            return skip("asyncpg " + script + " failed: " + e.getMessage());
        }
    }

    private String asyncpgVersion(String python) {
        try {
            return run(Map.of(), python, "-c", "import asyncpg; print(asyncpg.__version__)")
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    private Figure skip(String why) {
        skipped.add(why);
        return Figure.skipped(why);
    }

    private String libpq(String database) {
        return environment.server.url(database);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(command[0] + " exited " + (process.isAlive() ? "late" : process.exitValue())
                        + ": " + output.strip().lines().reduce((a, b) -> b).orElse(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}
