#!/usr/bin/env bash
# Backups page and freshness check over a large bucket: S3Proxy in memory, in the same JVM.
# Usage: bench/run-page-benchmark.sh [backups=10000] [databases=4] [runs=10]
# Needs a build of the test classes (this script runs test-compile). Results go to docs/benchmarks.md by hand,
# with the machine and the date.
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
java -Xmx"${BENCH_HEAP:-512m}" -cp "$CP" io.jenkins.plugins.pgbackup.bench.BackupsPageBenchmark "$@" 2>/dev/null
