#!/usr/bin/env bash
# The first backup in a fresh JVM against the next ones in the same JVM, with the engine's phases of each
# (bench.FirstStepBenchmark): what a fresh agent pays before its first step besides remote class loading.
# Usage: bench/run-first-step-benchmark.sh [runs=5] [backups per JVM=3] [server major=17]
# Needs PostgreSQL clients (.ci/install-pg-clients). Results go to docs/benchmarks.md by hand, with machine and date.
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
mkdir -p target/tmp
java -Djava.io.tmpdir=target/tmp -Dpgbackup.test.binaries="$PWD/target/postgres-binaries" \
  -Dpgbackup.test.clients="${PGBACKUP_CLIENTS_DIR:-$HOME/.cache/pgbackup/pg-clients}" \
  -cp "$CP" io.jenkins.plugins.pgbackup.bench.FirstStepBenchmark "$@" 2>/dev/null
