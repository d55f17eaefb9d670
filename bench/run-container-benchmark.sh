#!/usr/bin/env bash
# Clients "in a container" (named pipes through a launcher) vs on this machine: first backup and a large one.
# Usage: bench/run-container-benchmark.sh [rows=8000000] [repetitions=3]
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
/usr/bin/time -v java -Xmx"$HEAP" -cp "$CP" \
  -Dpgbackup.test.binaries="$PWD/target/postgres-binaries" \
  -Dpgbackup.test.clients="${PGBACKUP_CLIENTS_DIR:-$HOME/.cache/pgbackup/pg-clients}" \
  io.jenkins.plugins.pgbackup.bench.ContainerBenchmark "$@" 2> >(grep -E 'generated|Maximum resident|Elapsed' >&2)
