#!/usr/bin/env bash
# End-to-end backup benchmark: pg_dump streamed to S3Proxy (on disk) vs the same pg_dump to /dev/null.
# Usage: bench/run-backup-benchmark.sh [rows=8000000] [repetitions=3] [server major=17] [compression=zstd:3]
#   [storage access=keys|signed|both]  (signed: the controller signs, the engine holds no keys)
# BENCH_S3=process runs S3Proxy in a JVM of its own (its CPU accounted apart); BENCH_HEAP=128m bounds the heap.
# BENCH_PIN=true (with BENCH_S3=process): pg_dump and the plugin on CPU 0, PostgreSQL and S3Proxy on CPU 1.
# Needs: bash .ci/install-pg-clients, and a build of the test classes (this script runs test-compile).
# Results go to docs/benchmarks.md by hand, with the machine and the date.
set -euo pipefail
cd "$(dirname "$0")/.."
SETTINGS=()
if ! mvn -B -q validate > /dev/null 2>&1; then
  bash ../shared/jenkins-offline/build.sh > /dev/null
  SETTINGS=(-s ../shared/jenkins-offline/settings.xml)
fi
mvn -B -q -ntp "${SETTINGS[@]}" test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath -Dspotbugs.skip > /dev/null
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
HEAP="${BENCH_HEAP:-512m}"
PIN=()
if [ "${BENCH_PIN:-}" = true ]; then
  PIN=(taskset -c 0) # the PostgreSQL server and S3Proxy are moved to CPU 1 once started
fi
/usr/bin/time -v "${PIN[@]}" java -Xmx"$HEAP" -cp "$CP" \
  -Dpgbackup.test.binaries="$PWD/target/postgres-binaries" \
  -Dpgbackup.test.clients="${PGBACKUP_CLIENTS_DIR:-$HOME/.cache/pgbackup/pg-clients}" \
  -Dbench.s3="${BENCH_S3:-jvm}" -Dbench.pin="${BENCH_PIN:-false}" \
  io.jenkins.plugins.pgbackup.bench.BackupBenchmark "$@" 2> >(grep -E 'generated|Maximum resident|Elapsed' >&2)
