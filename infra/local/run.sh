#!/usr/bin/env bash
# Runs the whole of NeuroCards on this machine: makes sure RabbitMQ and PostgreSQL are up, builds, starts the
# emulators of Telegram, KIE and the LLM for whatever has no real credentials, starts billing, the generation
# pipeline and the bot gateway, and prints where to look. Ctrl-C (or SIGTERM) stops everything it started.
#
#   infra/local/run.sh [--no-build]
#
# --no-build (or SKIP_BUILD=1) uses the jars already built. Everything is configured by the variables of
# README.md#configuration; to run a second copy beside the first (as the browser test does), give it its own
# RABBITMQ_VHOST (created if missing), DB_NAME (created if missing), ports (GATEWAY_PORT, BILLING_PORT, PIPELINE_PORT,
# TELEGRAM_EMULATOR_PORT, KIE_EMULATOR_PORT, LLM_EMULATOR_PORT) and RUN_DIR (logs; default target/local-run).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

for arg in "$@"; do
  case "$arg" in
    --no-build) SKIP_BUILD=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "[run] unknown option $arg (try --help)"; exit 2 ;;
  esac
done

run_dir=${RUN_DIR:-$root/target/local-run}
mkdir -p "$run_dir"

# three services, each with DB_POOL_MAX_SIZE reactive connections (default 20) and Flyway's two at start
infra/local/up.sh --connections $((3 * (${DB_POOL_MAX_SIZE:-20} + 2)))

if [[ -n "${RABBITMQ_VHOST:-}" && "${RABBITMQ_VHOST}" != / ]]; then
  # the services declare their queues in the vhost, but it has to exist first
  rabbit_api="http://${RABBITMQ_HOST:-127.0.0.1}:${RABBITMQ_MANAGEMENT_PORT:-15672}/api"
  rabbit_auth="${RABBITMQ_USER:-guest}:${RABBITMQ_PASSWORD:-guest}"
  curl -fsS -u "$rabbit_auth" -X PUT "$rabbit_api/vhosts/$RABBITMQ_VHOST" >/dev/null
  curl -fsS -u "$rabbit_auth" -X PUT -H 'content-type: application/json' \
    -d '{"configure":".*","write":".*","read":".*"}' "$rabbit_api/permissions/$RABBITMQ_VHOST/${RABBITMQ_USER:-guest}" >/dev/null
fi

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  echo "[run] building (mvn -DskipTests install; --no-build skips this)"
  mvn -B -q -DskipTests install
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "[run] stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 0' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_http() { # name url seconds
  local i
  for ((i = 0; i < $3 * 2; i++)); do
    if curl -fs -o /dev/null "$2"; then return 0; fi
    sleep 0.5
  done
  echo "[run] $1 did not become ready; see $run_dir/$1.log"
  return 1
}

emulated=()
emulator_args=()
if [[ -z "${TELEGRAM_BOT_TOKEN:-}" ]]; then
  export TELEGRAM_BOT_TOKEN=123456:LOCAL-DEMO-TOKEN
  export TELEGRAM_API_URL=http://127.0.0.1:${TELEGRAM_EMULATOR_PORT:-9081}
  emulator_args+=(--telegram-port "${TELEGRAM_EMULATOR_PORT:-9081}" --telegram-token "$TELEGRAM_BOT_TOKEN")
  emulated+=(Telegram)
fi
if [[ -z "${KIE_API_KEYS:-}" ]]; then
  export KIE_API_KEYS=kie-local-demo-key
  export KIE_API_URL=http://127.0.0.1:${KIE_EMULATOR_PORT:-9082}
  export KIE_UPLOAD_URL=$KIE_API_URL
  export VIDEO_DOWNLOAD_ALLOWED_HOSTS=127.0.0.1:${KIE_EMULATOR_PORT:-9082} # the emulator's results: plain HTTP, local
  emulator_args+=(--kie-port "${KIE_EMULATOR_PORT:-9082}" --kie-key "$KIE_API_KEYS")
  emulated+=(KIE)
  if [[ -z "${LLM_API_KEY:-}" ]]; then
    export LLM_API_KEY=llm-local-demo-key
    export LLM_API_URL=http://127.0.0.1:${LLM_EMULATOR_PORT:-9083}
    emulator_args+=(--llm-port "${LLM_EMULATOR_PORT:-9083}" --llm-key "$LLM_API_KEY")
    emulated+=(LLM)
  fi
fi

if ((${#emulator_args[@]})); then
  echo "[run] starting emulators: ${emulated[*]}"
  java -jar infra/emulators/target/emulators.jar "${emulator_args[@]}" >"$run_dir/emulators.log" 2>&1 &
  pids+=($!)
fi

start_service() { # module port
  echo "[run] starting $1 on :$2"
  HTTP_PORT=$2 java -jar "$1/target/quarkus-app/quarkus-run.jar" >"$run_dir/$1.log" 2>&1 &
  pids+=($!)
}
# the gateway asks billing for balances (the menu, the count step)
export BILLING_URL=${BILLING_URL:-http://127.0.0.1:${BILLING_PORT:-8081}}
start_service billing "${BILLING_PORT:-8081}"
start_service generation-pipeline "${PIPELINE_PORT:-8082}"
start_service bot-gateway "${GATEWAY_PORT:-8080}"

wait_http billing "http://127.0.0.1:${BILLING_PORT:-8081}/q/health/ready" 120
wait_http generation-pipeline "http://127.0.0.1:${PIPELINE_PORT:-8082}/q/health/ready" 120
wait_http bot-gateway "http://127.0.0.1:${GATEWAY_PORT:-8080}/q/health/ready" 120

cat <<INFO

NeuroCards is running.${emulated:+ Emulated: ${emulated[*]}.}
  RabbitMQ console   http://127.0.0.1:15672  (guest/guest): queues billing.*, pipeline.*, gateway.*, their .dlq, neurocards.delay.*
  Health             http://127.0.0.1:${GATEWAY_PORT:-8080}/q/health  :${PIPELINE_PORT:-8082}/q/health  :${BILLING_PORT:-8081}/q/health
  Metrics            http://127.0.0.1:${PIPELINE_PORT:-8082}/q/metrics
$( [[ " ${emulated[*]} " == *" Telegram "* ]] && echo "  Chat with the bot  ${TELEGRAM_API_URL}/chat/  (play a Telegram user in the browser)" )
$( [[ " ${emulated[*]} " == *" Telegram "* ]] && echo "  Telegram emulator  ${TELEGRAM_API_URL}  (control API: ${TELEGRAM_API_URL}/control)" )
$( [[ " ${emulated[*]} " == *" KIE "* ]] && echo "  KIE emulator       ${KIE_API_URL}" )
  Logs               $run_dir/
Press Ctrl-C to stop.
INFO
wait -n "${pids[@]}" || true
echo "[run] a process exited; see $run_dir/"
