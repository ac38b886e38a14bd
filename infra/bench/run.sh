#!/usr/bin/env bash
# The whole-pipeline benchmark (docs/performance.md): the broker alone, then billing, the generation pipeline and the
# bot gateway as jars on the local RabbitMQ and PostgreSQL with the emulators answering, in one run. Prints a table
# and writes infra/bench/target/bench-report.json; the services' logs go to infra/bench/target/service-logs/.
#
#   infra/bench/run.sh [--quick] [--videos N] [--rate N] [--in-flight N] [...]   (--help lists every option)
#
# --quick finishes in under three minutes. BUILD=1 rebuilds the jars even when they exist. The figures depend on the
# machine and on whatever else it runs; no test asserts on them.
set -euo pipefail
cd "$(dirname "$0")/../.."
# three services with 20 reactive connections each and Flyway's two at start, 3 more for the gateway's and the
# pipeline's Telegram sends, the benchmark's own reads
infra/local/up.sh --connections 86 >/dev/null
jars=(billing/target/quarkus-app/quarkus-run.jar generation-pipeline/target/quarkus-app/quarkus-run.jar
  bot-gateway/target/quarkus-app/quarkus-run.jar infra/bench/target/bench.jar)
for jar in "${jars[@]}"; do
  if [[ ! -f $jar || "${BUILD:-}" == 1 ]]; then
    echo "[bench] building the services and the benchmark (mvn package -DskipTests)"
    mvn -B -q package -DskipTests -pl infra/bench,billing,generation-pipeline,bot-gateway -am
    break
  fi
done
cd infra/bench
exec java -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar target/bench.jar --report target/bench-report.json "$@"
