package io.pgdbm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's smoke pass: every scenario runs once, in-process and briefly, so the benchmarks keep compiling and
 * running. No timing is asserted; the figures of a smoke run mean nothing.
 */
class BenchmarksSmokeTest {

    @Test
    void everyScenarioRunsAndTheReportHasItsRow(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.md");
        BenchmarkReport.main(new String[] {"--smoke", "--out", report.toString(), "--scripts", "python"});
        String text = Files.readString(report);
        for (String scenario : new String[] {
            "S1 `fetchOne`",
            "S1t",
            "S1m `fetchOne` with a `QueryMonitor`",
            "S2 cached template",
            "S3 `copyRecords`",
            "S4 provision",
            "S4 no-op",
            "S4 start-up: 20 up-to-date modules",
            "S5f server floor",
            "S5 suite of 20, 0 ms bodies: time per test",
            "S5 suite of 20, 150 ms bodies: handout median",
            "S6 ",
            "S6r raw pgJDBC",
            "S7 `fetchAll`",
            "S8 "
        }) {
            assertThat(text).as("row for %s", scenario).contains("| " + scenario);
        }
        assertThat(text).contains("### Environment").contains("PostgreSQL");
    }
}
