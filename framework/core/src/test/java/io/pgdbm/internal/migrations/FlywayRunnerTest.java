package io.pgdbm.internal.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlywayRunnerTest {

    @Test
    void flywaysCommandLineAdviceIsLeftOut() {
        assertThat(FlywayRunner.withoutFlywayAdvice("Migration failed\nRun Flyway with -X option to see the actual"
                        + " statement causing the problem\nMessage: boom"))
                .isEqualTo("Migration failed\nMessage: boom");
    }

    @Test
    void theSqlStartsAfterLeadingCommentsAndBlankLines() {
        assertThat(FlywayRunner.sqlStart("SELECT 1")).isZero();
        assertThat(FlywayRunner.sqlStart("-- a\n\n  /* b\n c */ SELECT 1")).isEqualTo(19);
        assertThat(FlywayRunner.sqlStart("-- only a comment")).isEqualTo(17);
        assertThat(FlywayRunner.sqlStart("/* unterminated")).isEqualTo(15);
    }
}
