#!/usr/bin/env bash
# The chaos run (docs/reliability.md): many sellers through the real services, several instances each, while KIE and
# Telegram misbehave, instances are killed with SIGKILL, the broker loses its connections (or a node, with --cluster)
# and the database drops every connection; then the checks. Prints a table, writes infra/chaos/target/chaos-report.json
# and exits non-zero when a check fails.
#
#   infra/chaos/run.sh                 # the long run: 1,000 videos
#   infra/chaos/run.sh --short         # about 100 videos, as in the test suite
#   infra/chaos/run.sh --videos 300 --pipelines 3 --kill-every 15
#   infra/chaos/run.sh --help
#
# Needs RabbitMQ (with its management plugin) and PostgreSQL on this machine: infra/local/up.sh.
# Builds what is missing (the chaos jar and the three services' packaged jars) unless NEUROCARDS_CHAOS_NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ "${NEUROCARDS_CHAOS_NO_BUILD:-0}" != "1" ]]; then
  missing=0
  for jar in infra/chaos/target/chaos.jar billing/target/quarkus-app/quarkus-run.jar \
             generation-pipeline/target/quarkus-app/quarkus-run.jar bot-gateway/target/quarkus-app/quarkus-run.jar; do
    [[ -f "$jar" ]] || missing=1
  done
  if [[ "$missing" == "1" ]]; then
    echo "[chaos] building the chaos jar and the services (mvn package, tests skipped)"
    mvn -B -q package -DskipTests -pl infra/chaos,billing,generation-pipeline,bot-gateway -am
  fi
fi

exec java -Xmx1g -jar infra/chaos/target/chaos.jar "$@"
