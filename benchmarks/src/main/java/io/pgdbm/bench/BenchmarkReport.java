package io.pgdbm.bench;

import io.pgdbm.bench.JmhRounds.Measurement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Runs S1–S8 (see shared/BENCHMARKS.md) and prints one markdown table: scenario, our figure, the baseline's,
 * the ratio (median of per-round ratios), the bar, and whether it is met; then the environment and the raw
 * numbers behind every ratio. {@code --quick} uses shorter and fewer rounds; {@code --smoke} runs each
 * benchmark once in-process (CI: proves they run, measures nothing).
 */
public final class BenchmarkReport {
    private final JmhRounds jmh;
    private final List<String> rows = new ArrayList<>();
    private final List<String> raw = new ArrayList<>();
    private final boolean quick;
    private final boolean smoke;

    private final java.util.Set<String> only;
    private final BenchEnvironment environment;

    private BenchmarkReport(
            JmhRounds jmh, boolean quick, boolean smoke, java.util.Set<String> only, BenchEnvironment environment) {
        this.jmh = jmh;
        this.environment = environment;
        this.quick = quick;
        this.smoke = smoke;
        this.only = only;
    }

    /** Whether scenario {@code id} (S1 … S7) is to run: all unless {@code --only} names some. */
    private boolean wants(String id) {
        return only.isEmpty() || only.contains(id);
    }

    public static void main(String[] args) throws IOException {
        boolean quick = Arrays.asList(args).contains("--quick");
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Path out = Path.of(argument(args, "--out", "benchmarks/target/benchmark-report.md"));
        Path scripts = Path.of(argument(args, "--scripts", "benchmarks/python"));
        long started = System.nanoTime();
        try (BenchEnvironment environment = BenchEnvironment.start()) {
            if (smoke) {
                System.setProperty(BenchDatabase.URL_PROPERTY, environment.url);
            }
            java.util.Set<String> only = new java.util.TreeSet<>();
            for (String id : argument(args, "--only", "").split(",")) {
                if (!id.isBlank()) {
                    only.add(id.strip().toUpperCase(Locale.ROOT));
                }
            }
            BenchmarkReport report =
                    new BenchmarkReport(new JmhRounds(environment.url, quick, smoke), quick, smoke, only, environment);
            ExternalBaselines external = new ExternalBaselines(environment, scripts);
            report.runAll(external);
            String markdown = report.markdown(environment, external, (System.nanoTime() - started) / 1e9);
            System.out.println(markdown);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, markdown);
        }
    }

    private static String argument(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private void runAll(ExternalBaselines external) {
        if (wants("S1")) {
            runPointSelect(external);
        }
        if (wants("S2")) {
            runRender();
        }
        if (wants("S3")) {
            runBulkLoad(external);
        }
        if (wants("S4")) {
            runProvision();
        }
        if (wants("S5")) {
            runTestDatabases();
        }
        if (wants("S6")) {
            runManyManagers();
        }
        if (wants("S7")) {
            runFetchRows();
        }
        if (wants("S8")) {
            runScaleOut();
        }
    }

    /**
     * S8: PgBouncer (transaction mode, from the system; absent: the rows say so) in front of the bench server,
     * and a streaming replica of it (an embedded server only: PGDBM_TEST_URL's server cannot be copied).
     */
    private void runScaleOut() {
        progress("S8 through PgBouncer, and through a replica");
        io.pgdbm.postgres.PgBouncerServer bouncer = null;
        io.pgdbm.postgres.StandbyServer standby = null;
        try {
            if (io.pgdbm.postgres.PgBouncerServer.binary().isPresent()) {
                bouncer = io.pgdbm.postgres.PgBouncerServer.start(environment.server, 4);
                System.setProperty(ScaleOut.PGBOUNCER_PROPERTY, bouncer.url(BenchEnvironment.DATABASE));
            }
            if (environment.server instanceof io.pgdbm.postgres.EmbeddedServer embedded) {
                standby = embedded.startStandby();
                System.setProperty(ScaleOut.REPLICA_PROPERTY, standby.url(BenchEnvironment.DATABASE));
            }
            if (bouncer != null) {
                List<List<Measurement>> s8 = jmh.interleaved(
                        methods(ScaleOut.class, "direct", "pgbouncer", "rawDirect", "rawPgbouncer"), Map.of(), 1);
                reportRow(
                        "S8 S1 `fetchOne` through PgBouncer (transaction mode), 1 thread",
                        "same, direct",
                        s8.get(1),
                        s8.get(0));
                reportRow(
                        "S8 raw pgJDBC through PgBouncer, 1 thread (PgBouncer's own cost)",
                        "same, direct",
                        s8.get(3),
                        s8.get(2));
                reportRow("S8 `fetchOne` through PgBouncer", "raw pgJDBC through PgBouncer", s8.get(1), s8.get(3));
            } else {
                row(
                        "S8 S1 through PgBouncer",
                        "—",
                        "not measured: no pgbouncer binary (apt-get install pgbouncer)",
                        Double.NaN,
                        "report",
                        null);
            }
            if (standby != null) {
                List<List<Measurement>> one =
                        jmh.interleaved(methods(ScaleOut.class, "primary", "replica"), Map.of(), 1);
                reportRow("S8 `replica().fetchOne`, 1 thread", "same manager on the primary", one.get(1), one.get(0));
                List<List<Measurement>> four =
                        jmh.interleaved(methods(ScaleOut.class, "primary", "replica"), Map.of(), 4);
                reportRow(
                        "S8 `replica().fetchOne`, 4 threads (replica on the same 2-core host)",
                        "same manager on the primary",
                        four.get(1),
                        four.get(0));
            } else {
                row(
                        "S8 reads through a replica view",
                        "—",
                        "not measured: a replica is made of the embedded server only",
                        Double.NaN,
                        "report",
                        null);
            }
        } finally {
            System.clearProperty(ScaleOut.PGBOUNCER_PROPERTY);
            System.clearProperty(ScaleOut.REPLICA_PROPERTY);
            if (standby != null) {
                standby.close();
            }
            if (bouncer != null) {
                bouncer.close();
            }
        }
    }

    private void runPointSelect(ExternalBaselines external) {
        progress("S1/S1t point select, 1 thread");
        List<List<Measurement>> s1 = jmh.interleaved(
                methods(
                        PointSelect.class,
                        "raw",
                        "fetchOne",
                        "dsl",
                        "fetchOneMonitored",
                        "dslMonitored",
                        "dslPrepared"),
                Map.of(),
                1);
        latencyRow("S1 `fetchOne` (plain SQL, `{{tables}}`, `$1`), 1 thread", "raw pgJDBC", s1.get(1), s1.get(0), 1.10);
        latencyAndCpuRow(
                "S1t `dsl()` generated classes + RenderMapping, 1 thread",
                "raw pgJDBC",
                s1.get(2),
                s1.get(0),
                1.10,
                1.3);
        latencyRow(
                "S1t the same select through `prepare(Select)` (rendered once), 1 thread",
                "raw pgJDBC",
                s1.get(5),
                s1.get(0),
                1.05);
        reportRow("S1m `fetchOne` with a `QueryMonitor`", "same, no monitor", s1.get(3), s1.get(1));
        reportRow("S1m `dsl()` with a `QueryMonitor`", "same, no monitor", s1.get(4), s1.get(2));
        progress("S1t point insert and update, 1 thread");
        List<List<Measurement>> writes = jmh.interleaved(
                methods(
                        PointWrite.class,
                        "rawInsert",
                        "dslInsert",
                        "preparedInsert",
                        "rawUpdate",
                        "dslUpdate",
                        "preparedUpdate"),
                Map.of(),
                1);
        latencyAndCpuRow(
                "S1t insert of one row through `dsl()`", "raw pgJDBC insert", writes.get(1), writes.get(0), 1.10, 1.3);
        latencyRow(
                "S1t the same insert through `prepare(Query)`",
                "raw pgJDBC insert",
                writes.get(2),
                writes.get(0),
                1.05);
        latencyAndCpuRow(
                "S1t update of one row by key through `dsl()`",
                "raw pgJDBC update",
                writes.get(4),
                writes.get(3),
                1.10,
                1.3);
        latencyRow(
                "S1t the same update through `prepare(Query)`",
                "raw pgJDBC update",
                writes.get(5),
                writes.get(3),
                1.05);
        progress("S1 point select, 2 threads");
        List<List<Measurement>> s1two = jmh.interleaved(methods(PointSelect.class, "raw", "fetchOne"), Map.of(), 2);
        latencyRow("S1 `fetchOne`, 2 threads", "raw pgJDBC", s1two.get(1), s1two.get(0), 1.10);

        if (!smoke) {
            progress("S1p pgbench, S1 asyncpg");
            int seconds = quick ? 5 : 10;
            ExternalBaselines.Figure pgbench = external.pgbench(seconds);
            pgbench.value()
                    .ifPresentOrElse(
                            tps -> {
                                double floorMicros = 1e6 / tps;
                                double ours = median(s1.get(1), Measurement::median);
                                double rawJdbc = median(s1.get(0), Measurement::median);
                                row(
                                        "S1p `fetchOne` vs server floor",
                                        fmt(ours, "µs"),
                                        fmt(floorMicros, "µs") + " (" + pgbench.note() + ", " + fmt(tps, "tps") + ")",
                                        ours / floorMicros,
                                        "report",
                                        null);
                                raw.add("S1p raw pgJDBC median " + fmt(rawJdbc, "µs") + " = "
                                        + ratio(rawJdbc / floorMicros) + " of the floor");
                            },
                            () -> row("S1p vs pgbench", "—", "skipped: " + pgbench.note(), Double.NaN, "report", null));
            ExternalBaselines.Figure asyncpg = external.asyncpgPointSelect(seconds);
            asyncpg.value()
                    .ifPresentOrElse(
                            qps -> {
                                double ours = 1e6 / median(s1.get(1), Measurement::score);
                                row(
                                        "S1 vs asyncpg, one connection",
                                        fmt(ours, "q/s"),
                                        fmt(qps, "q/s") + " (" + asyncpg.note() + ")",
                                        ours / qps,
                                        "≥ 1.0×",
                                        ours / qps >= 1.0);
                            },
                            () -> row("S1 vs asyncpg", "—", "skipped: " + asyncpg.note(), Double.NaN, "≥ 1.0×", null));
        }
    }

    private void runRender() {
        progress("S2 render");
        List<List<Measurement>> s2 = jmh.interleaved(
                methods(Render.class, "concat", "cachedTemplate", "uncachedTemplate", "jooq", "jooqMapped"),
                Map.of(),
                1);
        double cached = median(s2.get(1), Measurement::score);
        row(
                "S2 cached template (3 tables)",
                fmt(cached, "ns"),
                fmt(median(s2.get(0), Measurement::score), "ns") + " (string concatenation)",
                perRound(s2.get(1), s2.get(0), Measurement::score),
                "≤ 50 ns",
                cached <= 50);
        row(
                "S2 uncached template (render + translate)",
                fmt(median(s2.get(2), Measurement::score), "ns"),
                "string concatenation",
                perRound(s2.get(2), s2.get(0), Measurement::score),
                "report",
                null);
        row(
                "S2 jOOQ build + render with RenderMapping",
                fmt(median(s2.get(4), Measurement::score), "ns"),
                fmt(median(s2.get(3), Measurement::score), "ns") + " (without mapping)",
                perRound(s2.get(4), s2.get(3), Measurement::score),
                "report",
                null);
    }

    private void runBulkLoad(ExternalBaselines external) {
        progress("S3 bulk load");
        List<List<Measurement>> s3 =
                jmh.interleaved(methods(BulkLoad.class, "executeMany", "copyRecords"), Map.of(), 1);
        double copyRows = BulkLoad.ROWS / (median(s3.get(1), Measurement::score) / 1e3);
        double manyRows = BulkLoad.ROWS / (median(s3.get(0), Measurement::score) / 1e3);
        double copyVsMany = perRound(s3.get(0), s3.get(1), Measurement::score);
        row(
                "S3 `copyRecords` 100k × 6",
                fmt(copyRows, "rows/s"),
                fmt(manyRows, "rows/s") + " (`executeMany`)",
                copyVsMany,
                "≥ 10×",
                copyVsMany >= 10);
        if (!smoke) {
            ExternalBaselines.Figure asyncpgCopy = external.asyncpgCopy();
            asyncpgCopy
                    .value()
                    .ifPresentOrElse(
                            rate -> row(
                                    "S3 `copyRecords` vs asyncpg",
                                    fmt(copyRows, "rows/s"),
                                    fmt(rate, "rows/s") + " (" + asyncpgCopy.note() + " copy_records_to_table)",
                                    copyRows / rate,
                                    "≥ 1.0×",
                                    copyRows / rate >= 1.0),
                            () -> row(
                                    "S3 vs asyncpg",
                                    "—",
                                    "skipped: " + asyncpgCopy.note(),
                                    Double.NaN,
                                    "≥ 1.0×",
                                    null));
            ExternalBaselines.Figure psql = external.psqlCopy();
            psql.value()
                    .ifPresentOrElse(
                            rate -> row(
                                    "S3 `copyRecords` vs psql",
                                    fmt(copyRows, "rows/s"),
                                    fmt(rate, "rows/s") + " (" + psql.note() + ")",
                                    copyRows / rate,
                                    "report",
                                    null),
                            () -> row("S3 vs psql \\copy", "—", "skipped: " + psql.note(), Double.NaN, "report", null));
        }
    }

    private void runProvision() {
        List<String> sizes = smoke ? List.of("1") : quick ? List.of("1", "10") : List.of("1", "10", "100", "1000");
        for (String parallelism : smoke ? List.of("1") : List.of("1", "4")) {
            for (String tenants : sizes) {
                progress("S4 provision " + tenants + " tenant(s), parallelism " + parallelism);
                Map<String, String> params = Map.of("tenants", tenants, "parallelism", parallelism);
                List<List<Measurement>> s4;
                if (tenants.equals("1000")) {
                    // minutes per run: one fresh-fork shot each, raw first
                    s4 = List.of(
                            List.of(jmh.once(Provision.class.getName() + ".rawJdbc", params)),
                            List.of(jmh.once(Provision.class.getName() + ".pgdbm", params)));
                } else {
                    s4 = jmh.interleaved(methods(Provision.class, "rawJdbc", "pgdbm"), params, 1);
                }
                double ratio = perRound(s4.get(1), s4.get(0), Measurement::score);
                row(
                        "S4 provision " + tenants + " schema(s) × 10 migrations, parallelism " + parallelism
                                + (tenants.equals("1000") ? " (one run)" : ""),
                        fmt(median(s4.get(1), Measurement::score), "ms"),
                        fmt(median(s4.get(0), Measurement::score), "ms") + " (raw JDBC, same files)",
                        ratio,
                        "≤ 1.5×",
                        ratio <= 1.5);
            }
        }
        progress("S4 no-op");
        Measurement noOp = jmh.run(Provision.class.getName() + ".noOp", Map.of("tenants", "1", "parallelism", "1"), 1);
        row(
                "S4 no-op `applyPending()` of one up-to-date module (new MigrationManager, warm JVM)",
                fmt(noOp.median(), "ms"),
                "—",
                Double.NaN,
                "≤ 5 ms",
                noOp.median() <= 5);
        progress("S4 start-up: " + ModuleStartUp.MODULES + " up-to-date modules in a fresh JVM");
        ModuleStartUp.prepare(jmh.url());
        try {
            List<Measurement> starts = new ArrayList<>();
            for (int round = 0; round < jmh.rounds(); round++) {
                starts.add(jmh.once(ModuleStartUp.class.getName() + ".checkModules", Map.of()));
            }
            double startUp = median(starts, Measurement::score);
            raw.add("S4 start-up, " + ModuleStartUp.MODULES + " modules, one fresh JVM per round: "
                    + starts.stream().map(m -> fmt(m.score(), "ms")).toList());
            row(
                    "S4 start-up: " + ModuleStartUp.MODULES
                            + " up-to-date modules checked in a fresh JVM (after its first query)",
                    fmt(startUp, "ms") + " (" + fmt(startUp / ModuleStartUp.MODULES, "ms") + " per module)",
                    "—",
                    Double.NaN,
                    "≤ 100 ms",
                    startUp <= 100);
        } finally {
            ModuleStartUp.drop(jmh.url());
        }
    }

    private void runTestDatabases() {
        progress("S5 test databases: baselines");
        List<List<Measurement>> s5 =
                jmh.interleaved(methods(TestDatabases.class, "scratch", "template", "cloneFloor"), Map.of(), 1);
        double scratch = median(s5.get(0), Measurement::median);
        double template = median(s5.get(1), Measurement::median);
        double floor = median(s5.get(2), Measurement::median);
        row(
                "S5f server floor: bare CREATE DATABASE … TEMPLATE",
                fmt(floor, "ms"),
                fmt(scratch, "ms") + " (create + migrate)",
                floor / scratch,
                "report",
                null);
        row(
                "S5c one clone per test, no prefetch, no reuse",
                fmt(template, "ms"),
                fmt(floor, "ms") + " (bare clone)",
                perRound(s5.get(1), s5.get(2), Measurement::median),
                "report",
                null);
        int tests = smoke ? 20 : 200;
        for (int body : new int[] {0, 10, 150}) {
            progress("S5 suites of " + tests + " tests, " + body + " ms bodies");
            List<Double> handouts = new ArrayList<>();
            List<Double> overheads = new ArrayList<>();
            StringBuilder detail = new StringBuilder();
            for (int round = 0; round < jmh.rounds(); round++) {
                JmhRounds.Suite suite = jmh.suite(body, true);
                handouts.addAll(suite.handoutMillis());
                double overhead = suite.wallMillis() / suite.tests() - body;
                overheads.add(overhead);
                detail.append(round == 0 ? "" : "; ")
                        .append(String.format(
                                Locale.ROOT,
                                "suite %.0f ms for %d tests = %.2f ms/test over the bodies",
                                suite.wallMillis(),
                                suite.tests(),
                                overhead));
            }
            double median = percentile(handouts, 50);
            double p95 = percentile(handouts, 95);
            double overhead =
                    median(overheads.stream().mapToDouble(Double::doubleValue).toArray());
            raw.add("S5 " + body + " ms bodies: " + detail + "; handout median " + fmt(median, "ms") + ", p95 "
                    + fmt(p95, "ms") + " over " + handouts.size() + " handouts");
            row(
                    "S5 suite of " + tests + ", " + body + " ms bodies: time per test over the body",
                    fmt(overhead, "ms"),
                    fmt(scratch, "ms") + " (create + migrate)",
                    overhead / scratch,
                    "≥ 20× faster",
                    scratch / overhead >= 20);
            row(
                    "S5 suite of " + tests + ", " + body + " ms bodies: handout median / p95",
                    fmt(median, "ms") + " / " + fmt(p95, "ms"),
                    fmt(floor, "ms") + " (bare clone)",
                    median / floor,
                    "≤ 30 ms / ≤ 60 ms",
                    median <= 30 && p95 <= 60);
        }
        progress("S5 suite without reuse (a prefetched clone per test)");
        JmhRounds.Suite cloning = jmh.suite(0, false);
        double cloningOverhead = cloning.wallMillis() / cloning.tests();
        raw.add(String.format(
                Locale.ROOT,
                "S5 without reuse, 0 ms bodies: suite %.0f ms for %d tests; handout median %s, p95 %s",
                cloning.wallMillis(),
                cloning.tests(),
                fmt(percentile(cloning.handoutMillis(), 50), "ms"),
                fmt(percentile(cloning.handoutMillis(), 95), "ms")));
        row(
                "S5 suite of " + tests + ", 0 ms bodies, reuse off (`-Dpgdbm.test.reuse=false`)",
                fmt(cloningOverhead, "ms"),
                fmt(scratch, "ms") + " (create + migrate)",
                cloningOverhead / scratch,
                "report",
                null);
    }

    /** The {@code p}th percentile (nearest rank) of {@code values}. */
    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private void runManyManagers() {
        progress("S6 many managers");
        List<String> counts = smoke ? List.of("1", "10") : List.of("1", "10", "100");
        List<List<Measurement>> ours = new ArrayList<>();
        List<List<Measurement>> raw = new ArrayList<>();
        counts.forEach(c -> {
            ours.add(new ArrayList<>());
            raw.add(new ArrayList<>());
        });
        for (int round = 0; round < jmh.rounds(); round++) {
            for (int k = 0; k < counts.size(); k++) {
                int index = round % 2 == 0 ? k : counts.size() - 1 - k;
                Map<String, String> params = Map.of("managers", counts.get(index));
                ours.get(index).add(jmh.run(ManyManagers.class.getName() + ".query", params, 8));
                raw.get(index).add(jmh.run(ManyManagers.class.getName() + ".raw", params, 8));
            }
        }
        for (int k = 1; k < counts.size(); k++) {
            double ratio = perRound(ours.get(k), ours.get(0), Measurement::score);
            double rawRatio = perRound(raw.get(k), raw.get(0), Measurement::score);
            row(
                    "S6 " + counts.get(k) + " managers, 8 threads, 4 connections",
                    fmt(median(ours.get(k), Measurement::score), "ops/s"),
                    fmt(median(ours.get(0), Measurement::score), "ops/s") + " (1 manager)",
                    ratio,
                    "≥ 0.95×",
                    ratio >= 0.95);
            row(
                    "S6r raw pgJDBC over " + counts.get(k) + " schemas (server's share)",
                    fmt(median(raw.get(k), Measurement::score), "ops/s"),
                    fmt(median(raw.get(0), Measurement::score), "ops/s") + " (1 schema)",
                    rawRatio,
                    "report",
                    null);
            double cpuRatio = perRound(ours.get(k), ours.get(0), Measurement::cpuNanosPerOp);
            row(
                    "S6c " + counts.get(k) + " managers: client CPU per query",
                    fmt(median(ours.get(k), Measurement::cpuNanosPerOp) / 1000, "µs"),
                    fmt(median(ours.get(0), Measurement::cpuNanosPerOp) / 1000, "µs") + " (1 manager)",
                    cpuRatio,
                    "report",
                    null);
            double framework = perRound(ours.get(k), raw.get(k), Measurement::score);
            row(
                    "S6f " + counts.get(k) + " managers vs raw pgJDBC, same schemas",
                    fmt(median(ours.get(k), Measurement::score), "ops/s"),
                    fmt(median(raw.get(k), Measurement::score), "ops/s") + " (raw)",
                    framework,
                    "report",
                    null);
        }
    }

    private void runFetchRows() {
        for (String count : smoke ? List.of("1") : List.of("1", "100", "10000")) {
            progress("S7 fetch " + count + " rows");
            List<List<Measurement>> s7 =
                    jmh.interleaved(methods(FetchRows.class, "raw", "fetchAll"), Map.of("rows", count), 1);
            double ratio = perRound(s7.get(1), s7.get(0), Measurement::median);
            boolean barred = count.equals("10000");
            row(
                    "S7 `fetchAll` " + count + " row(s) into records",
                    fmt(median(s7.get(1), Measurement::median), "µs"),
                    fmt(median(s7.get(0), Measurement::median), "µs") + " (raw ResultSet loop)",
                    ratio,
                    barred ? "≤ 1.3×" : "report",
                    barred ? Boolean.valueOf(ratio <= 1.3) : null);
        }
    }

    private void latencyRow(String name, String baseline, List<Measurement> ours, List<Measurement> base, double bar) {
        double ratio = perRound(ours, base, Measurement::median);
        row(
                name,
                fmt(median(ours, Measurement::median), "µs") + cpu(ours),
                fmt(median(base, Measurement::median), "µs") + cpu(base) + " (" + baseline + ")",
                ratio,
                "≤ " + bar + "× median",
                ratio <= bar);
    }

    /** A latency bar and a client-CPU bar, both against the baseline measured beside it. */
    private void latencyAndCpuRow(
            String name, String baseline, List<Measurement> ours, List<Measurement> base, double bar, double cpuBar) {
        double ratio = perRound(ours, base, Measurement::median);
        double cpuRatio = perRound(ours, base, Measurement::cpuNanosPerOp);
        boolean cpuKnown = !Double.isNaN(cpuRatio);
        row(
                name,
                fmt(median(ours, Measurement::median), "µs")
                        + cpu(ours)
                        + (cpuKnown ? " (CPU " + ratio(cpuRatio) + ")" : ""),
                fmt(median(base, Measurement::median), "µs") + cpu(base) + " (" + baseline + ")",
                ratio,
                "≤ " + bar + "× median" + (cpuKnown ? ", CPU ≤ " + cpuBar + "×" : ""),
                ratio <= bar && (!cpuKnown || cpuRatio <= cpuBar));
    }

    private void reportRow(String name, String baseline, List<Measurement> ours, List<Measurement> base) {
        double ratio = perRound(ours, base, Measurement::median);
        row(
                name,
                fmt(median(ours, Measurement::median), "µs") + cpu(ours),
                fmt(median(base, Measurement::median), "µs") + cpu(base) + " (" + baseline + ")",
                ratio,
                "report",
                null);
    }

    private static String cpu(List<Measurement> runs) {
        double cpu = median(runs, Measurement::cpuNanosPerOp);
        return Double.isNaN(cpu) ? "" : ", CPU " + fmt(cpu / 1000, "µs") + "/op";
    }

    private void row(String scenario, String ours, String baseline, double ratio, String bar, Boolean met) {
        String verdict = met == null ? "report" : smoke ? "smoke" : met ? "**pass**" : "**miss**";
        rows.add("| " + scenario + " | " + ours + " | " + baseline + " | " + (Double.isNaN(ratio) ? "—" : ratio(ratio))
                + " | " + bar + " | " + verdict + " |");
    }

    /** The median over rounds of ours/base in each round (the baseline measured right beside it). */
    private double perRound(List<Measurement> ours, List<Measurement> base, ToDoubleFunction<Measurement> metric) {
        double[] ratios = new double[Math.min(ours.size(), base.size())];
        StringBuilder detail = new StringBuilder();
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = metric.applyAsDouble(ours.get(i)) / metric.applyAsDouble(base.get(i));
            detail.append(i == 0 ? "" : "; ")
                    .append(String.format(
                            Locale.ROOT,
                            "%.4g / %.4g %s = %s",
                            metric.applyAsDouble(ours.get(i)),
                            metric.applyAsDouble(base.get(i)),
                            ours.get(i).unit(),
                            ratio(ratios[i])));
        }
        raw.add("rounds: " + detail);
        return median(ratios);
    }

    private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> metric) {
        return median(runs.stream().mapToDouble(metric).toArray());
    }

    private static double median(double[] values) {
        double[] sorted =
                Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static List<String> methods(Class<?> type, String... names) {
        return Arrays.stream(names).map(name -> type.getName() + "." + name).toList();
    }

    private static String fmt(double value, String unit) {
        if (Double.isNaN(value)) {
            return "—";
        }
        String number = value >= 1000
                ? String.format(Locale.ROOT, "%,.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
        return number + " " + unit;
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private void progress(String what) {
        System.err.println("[pgdbm bench] " + what + " …");
    }

    private String markdown(BenchEnvironment environment, ExternalBaselines external, double seconds) {
        StringBuilder md = new StringBuilder();
        md.append("## pgdbm benchmarks")
                .append(smoke ? " (smoke: one short run each, figures mean nothing)" : quick ? " (--quick)" : "")
                .append("\n\n");
        md.append("| scenario | ours | baseline | ratio | bar | result |\n|---|---|---|---|---|---|\n");
        rows.forEach(row -> md.append(row).append('\n'));
        md.append("\nRatios are ours ÷ baseline, the median of ")
                .append(jmh.rounds())
                .append(
                        " interleaved rounds (each a fresh JVM fork); latencies are medians of JMH samples. For S3 and S5")
                .append(" the ratio is a time ratio, so below 1 is faster.\n\n### Environment\n\n");
        environment.describe().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append(String.format(Locale.ROOT, "- Report took %.0f s%n", seconds));
        if (!external.skipped().isEmpty()) {
            md.append("\n### Skipped baselines\n\n");
            external.skipped().forEach(line -> md.append("- ").append(line).append('\n'));
        }
        md.append("\n### Raw numbers (per round: ours / baseline)\n\n");
        raw.forEach(line -> md.append("- ").append(line).append('\n'));
        return md.toString();
    }
}
