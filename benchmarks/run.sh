#!/usr/bin/env bash
# Runs pgdbm's benchmarks (S1-S8 of shared/BENCHMARKS.md) and prints one markdown table of ratios.
#   benchmarks/run.sh           full run (about 35 minutes on 2 cores)
#   benchmarks/run.sh --quick   shorter, fewer rounds (under 10 minutes)
#   benchmarks/run.sh --smoke   one short run each, in-process: proves they run (CI)
#   benchmarks/run.sh --only S1,S6   just those scenarios (combine with --quick)
# PostgreSQL: PGDBM_TEST_URL if set, else an embedded server. The table is also written to
# benchmarks/target/benchmark-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${JAVA_HOME:-}" ]; then
    for candidate in /usr/lib/jvm/*; do
        if [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
            export JAVA_HOME="$candidate"
        fi
    done
fi

echo "[pgdbm bench] building …" >&2
./mvnw -B -q -pl benchmarks -am install -DskipTests -Dinvoker.skip -Dspotless.check.skip=true >&2
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    io.pgdbm.bench.BenchmarkReport --scripts benchmarks/python --out benchmarks/target/benchmark-report.md "$@"
