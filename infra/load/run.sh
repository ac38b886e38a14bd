#!/usr/bin/env bash
# Measures the messaging hop (outbox → relay with confirms → quorum queue → consumer → idempotent transaction → ack)
# on this machine, in a RabbitMQ vhost and a database of its own, and writes infra/load/target/load-report.md.
# Usage: infra/load/run.sh [--events 20000] [--batch 50] [--writers 4]
set -euo pipefail
cd "$(dirname "$0")/../.."
infra/local/up.sh >/dev/null
RABBITMQ_USER=${RABBITMQ_USER:-guest}
RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-guest}
api="http://${RABBITMQ_HOST:-127.0.0.1}:${RABBITMQ_MANAGEMENT_PORT:-15672}/api"
vhost=neurocards-load
db=neurocards_load

if [[ ! -f infra/load/target/quarkus-app/quarkus-run.jar || "${BUILD:-}" == 1 ]]; then
  mvn -B -q -pl infra/load -am install -DskipTests
fi
curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" -X DELETE "$api/vhosts/$vhost" >/dev/null 2>&1 || true
curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" -X PUT "$api/vhosts/$vhost" >/dev/null
curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" -X PUT -H 'content-type: application/json' \
  -d '{"configure":".*","write":".*","read":".*"}' "$api/permissions/$vhost/$RABBITMQ_USER" >/dev/null
psql -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-postgres}" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
trap 'curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" -X DELETE "$api/vhosts/$vhost" >/dev/null 2>&1 || true' EXIT

RABBITMQ_VHOST=$vhost DB_NAME=$db java -jar infra/load/target/quarkus-app/quarkus-run.jar --report infra/load/target/load-report.md "$@"
