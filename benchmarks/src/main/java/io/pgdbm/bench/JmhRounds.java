package io.pgdbm.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs benchmarks in short, interleaved rounds (A B, then B A, …), one fresh JVM fork per run: on a noisy
 * machine two long back-to-back runs can differ by half; per-round ratios taken side by side do not drift
 * apart, and their median is the figure reported.
 */
final class JmhRounds {
    /** One measured run of one benchmark. */
    record Measurement(double score, double median, double cpuNanosPerOp, String unit) {}

    private final String url;
    private final boolean quick;
    private final boolean smoke;

    JmhRounds(String url, boolean quick, boolean smoke) {
        this.url = url;
        this.quick = quick;
        this.smoke = smoke;
    }

    /** The benchmark database's URL. */
    String url() {
        return url;
    }

    int rounds() {
        return smoke ? 1 : quick ? 2 : 3;
    }

    /** Runs every benchmark of {@code methods} once per round, alternating their order; results per method. */
    List<List<Measurement>> interleaved(List<String> methods, Map<String, String> params, int threads) {
        List<List<Measurement>> results = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            results.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds(); round++) {
            for (int k = 0; k < methods.size(); k++) {
                int index = round % 2 == 0 ? k : methods.size() - 1 - k;
                results.get(index).add(run(methods.get(index), params, threads));
            }
        }
        return results;
    }

    /** One suite of S5: its wall time and each test's handout latency, in milliseconds. */
    record Suite(double wallMillis, int tests, List<Double> handoutMillis) {}

    /** Runs one {@link TestSuites} suite (a JMH single shot in a fresh fork) and reads its handout latencies. */
    Suite suite(int bodyMillis, boolean reuse) {
        int tests = smoke ? 20 : 200;
        java.nio.file.Path samples;
        try {
            samples = java.nio.file.Files.createTempFile("pgdbm-s5-", ".txt");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String previous = System.setProperty(TestSuites.SAMPLES_PROPERTY, samples.toString());
        try {
            Collection<RunResult> results = new Runner(new OptionsBuilder()
                            .include("^" + TestSuites.class.getName().replace(".", "\\.") + "\\.suite$")
                            .forks(smoke ? 0 : 1)
                            .jvmArgsAppend(
                                    "-D" + BenchDatabase.URL_PROPERTY + "=" + url,
                                    "-D" + TestSuites.SAMPLES_PROPERTY + "=" + samples,
                                    "-Xms256m",
                                    "-Xmx1g")
                            .param("tests", Integer.toString(tests))
                            .param("body", Integer.toString(bodyMillis))
                            .param("reuse", Boolean.toString(reuse))
                            .warmupIterations(0)
                            .measurementIterations(1)
                            .shouldFailOnError(true)
                            .verbosity(VerboseMode.SILENT)
                            .build())
                    .run();
            if (results.isEmpty()) {
                throw new IllegalStateException("JMH ran no S5 suite");
            }
            double wall = results.iterator().next().getPrimaryResult().getScore();
            List<Double> handouts = new ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(samples)) {
                if (!line.isBlank()) {
                    handouts.add(Long.parseLong(line.trim()) / 1e6);
                }
            }
            return new Suite(wall, tests, handouts);
        } catch (RunnerException | java.io.IOException e) {
            throw new IllegalStateException("S5 suite failed: " + e.getMessage(), e);
        } finally {
            if (previous == null) {
                System.clearProperty(TestSuites.SAMPLES_PROPERTY);
            } else {
                System.setProperty(TestSuites.SAMPLES_PROPERTY, previous);
            }
            try {
                java.nio.file.Files.deleteIfExists(samples);
            } catch (java.io.IOException ignored) {
                // a temporary file
            }
        }
    }

    /** The forks' JVM options: the database, and every other {@code pgdbm.bench.*} property of this JVM (S8's addresses). */
    private String[] jvmArgs() {
        List<String> args =
                new ArrayList<>(List.of("-D" + BenchDatabase.URL_PROPERTY + "=" + url, "-Xms256m", "-Xmx1g"));
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("pgdbm.bench.") && !name.equals(BenchDatabase.URL_PROPERTY)) {
                args.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        return args.toArray(String[]::new);
    }

    Measurement run(String method, Map<String, String> params, int threads) {
        return run(method, params, threads, false);
    }

    /**
     * One single-shot invocation in a fresh fork, without warm-up: for work too long to repeat (a thousand
     * tenants) and for what a cold JVM pays (modules checked at start-up).
     */
    Measurement once(String method, Map<String, String> params) {
        return run(method, params, 1, true);
    }

    private Measurement run(String method, Map<String, String> params, int threads, boolean once) {
        boolean singleShot = method.startsWith(BulkLoad.class.getName())
                || (method.startsWith(Provision.class.getName()) && !method.endsWith("noOp"));
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + method.replace(".", "\\.").replace("$", "\\$") + "$")
                .threads(threads)
                .forks(smoke ? 0 : 1)
                .jvmArgsAppend(jvmArgs())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        params.forEach(options::param);
        if (once) {
            options.mode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
                    .warmupIterations(0)
                    .measurementIterations(1);
        } else if (singleShot) {
            options.warmupIterations(smoke ? 0 : 1).measurementIterations(smoke ? 1 : quick ? 2 : 3);
        } else {
            // --quick measures less but warms up longer than a full run (3 x 2 s): jOOQ's dsl() path is still
            // being compiled after 4 s, and a quick run that measured right after 2 x 2 s read its client CPU
            // at 47 us against the full run's 28 us (S1t 1.92x against 1.36x).
            TimeValue warmup = smoke ? TimeValue.milliseconds(200) : TimeValue.seconds(2);
            TimeValue measurement = smoke ? TimeValue.milliseconds(200) : TimeValue.seconds(quick ? 1 : 2);
            options.warmupIterations(smoke ? 0 : quick ? 3 : 2)
                    .warmupTime(warmup)
                    .measurementIterations(smoke ? 1 : quick ? 2 : 3)
                    .measurementTime(measurement);
        }
        try {
            Collection<RunResult> results = new Runner(options.build()).run();
            if (results.isEmpty()) {
                throw new IllegalStateException("JMH ran nothing for " + method);
            }
            RunResult result = results.iterator().next();
            Result<?> primary = result.getPrimaryResult();
            double median = primary.getStatistics().getN() > 0 && method.indexOf('.') > 0
                    ? primary.getStatistics().getPercentile(50.0)
                    : primary.getScore();
            var secondary = result.getSecondaryResults();
            double cpu = Double.NaN;
            if (secondary.containsKey("cpuNanos")
                    && secondary.containsKey("ops")
                    && secondary.get("ops").getScore() > 0) {
                cpu = secondary.get("cpuNanos").getScore()
                        / secondary.get("ops").getScore();
            }
            return new Measurement(primary.getScore(), median, cpu, primary.getScoreUnit());
        } catch (RunnerException e) {
            throw new IllegalStateException("benchmark " + method + " failed: " + e.getMessage(), e);
        }
    }
}
