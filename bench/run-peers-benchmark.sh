#!/usr/bin/env bash
# The plugin against what users script today (issue 17): pg_dump > /dev/null (the floor), pg_dump | aws s3 cp -,
# pg_dump | rclone rcat, and the plugin's BackupEngine; then restores of the plugin's object with pg_restore from a
# local file (the floor), aws s3 cp … - | pg_restore, rclone cat | pg_restore, and the plugin's RestoreEngine. Same
# generated database, pg_dump/pg_restore, compression and S3Proxy (in a JVM of its own), in one run, the order of the
# methods reversed every other round.
# Usage: bench/run-peers-benchmark.sh [dump sizes in MB=300,2000] [rounds=3] [compressions=none,default] [server=17]
#   e.g. a quick check: bench/run-peers-benchmark.sh 30,100 2
# Environment: BENCH_ONLY=plugin (methods to run: raw,aws,rclone,plugin,plugin_signed), BENCH_RESTORE=false (backups only),
#   BENCH_JFR=/tmp/rec (each measured plugin backup recorded into /tmp/rec-N.jfr; summarise with
#   bench/run-peers-benchmark.sh --jfr-summary /tmp/rec-*.jfr), BENCH_HEAP=512m, BENCH_NICE=10.
# Installs what is missing: Debian's awscli (AWS CLI v2) and rclone (apt-get), PostgreSQL clients
# (.ci/install-pg-clients). Results go to docs/benchmarks.md by hand, with the machine, the date and the load.
set -euo pipefail
cd "$(dirname "$0")/.."

install_peers() {
  local missing=()
  dpkg -s awscli > /dev/null 2>&1 || missing+=(awscli)
  dpkg -s rclone > /dev/null 2>&1 || missing+=(rclone)
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -q > /dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}" > /dev/null
  fi
}

build() {
  SETTINGS=()
  if ! mvn -B -q validate > /dev/null 2>&1; then
    bash ../shared/jenkins-offline/build.sh > /dev/null
    SETTINGS=(-s ../shared/jenkins-offline/settings.xml)
  fi
  mvn -B -q -ntp "${SETTINGS[@]}" test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath -Dspotbugs.skip > /dev/null
  CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
}

if [ "${1:-}" = --jfr-summary ]; then
  shift
  build
  exec java -cp "$CP" io.jenkins.plugins.pgbackup.bench.JfrTopFrames "$@"
fi

install_peers
CLIENTS="${PGBACKUP_CLIENTS_DIR:-$HOME/.cache/pgbackup/pg-clients}"
[ -x "$CLIENTS/17/bin/pg_dump" ] || bash .ci/install-pg-clients
build
JFR_OPTS=()
if [ -n "${BENCH_JFR:-}" ]; then
  JFR_OPTS=(-XX:FlightRecorderOptions=stackdepth=256 -Dbench.jfr="$BENCH_JFR")
fi
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (modified)'), load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java $(java -version 2>&1 | head -1 | cut -d'"' -f2)"
exec nice -n "${BENCH_NICE:-10}" java -Xmx"${BENCH_HEAP:-512m}" "${JFR_OPTS[@]}" -cp "$CP" \
  -Dpgbackup.test.binaries="$PWD/target/postgres-binaries" -Dpgbackup.test.clients="$CLIENTS" \
  -Dbench.aws=/usr/bin/aws -Dbench.rclone=/usr/bin/rclone \
  -Dbench.only="${BENCH_ONLY:-}" -Dbench.restore="${BENCH_RESTORE:-true}" \
  io.jenkins.plugins.pgbackup.bench.PeersBenchmark "$@"
