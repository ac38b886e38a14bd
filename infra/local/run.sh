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
#
# Each service connects to RabbitMQ as its own user (docs/decisions/0011-broker-users.md): this run makes them, with
# random passwords nobody sees, as RABBITMQ_USER/RABBITMQ_PASSWORD (the broker's administrator, default guest), and
# removes them when it stops. The CLI's user for this run (the operator) is in RUN_DIR/operator.env (mode 600):
# `set -a; . RUN_DIR/operator.env; set +a` before running infra/bin/neurocards.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

for arg in "$@"; do
  case "$arg" in
    --no-build) SKIP_BUILD=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "[run] unknown option $arg (try --help)"; exit 2 ;;
  esac
done

run_dir=${RUN_DIR:-$root/target/local-run}
mkdir -p "$run_dir"

# This run's broker users: one per service and the operator, named after the run, random passwords written only to
# files of this run only this account can read.
run_id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
users_file="$run_dir/broker-users"
(umask 077 && : >"$users_file" && : >"$run_dir/operator.env")
random_password() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
declare -A broker_user broker_password
for role in gateway billing pipeline operator; do
  broker_user[$role]="neurocards-run-$run_id-$role"
  broker_password[$role]=$(random_password)
  printf '%s %s %s\n' "$role" "${broker_user[$role]}" "${broker_password[$role]}" >>"$users_file"
done
printf 'RABBITMQ_USER=%s\nRABBITMQ_PASSWORD=%s\n' "${broker_user[operator]}" "${broker_password[operator]}" \
  >"$run_dir/operator.env"
remove_broker_users() {
  local role api="http://${RABBITMQ_HOST:-127.0.0.1}:${RABBITMQ_MANAGEMENT_PORT:-15672}/api"
  for role in gateway billing pipeline operator; do
    curl -fsS -o /dev/null -u "${RABBITMQ_USER:-guest}:${RABBITMQ_PASSWORD:-guest}" -X DELETE \
      "$api/users/${broker_user[$role]}" 2>/dev/null || true
  done
  rm -f "$users_file" "$run_dir/operator.env"
}
trap remove_broker_users EXIT

# three services, each with DB_POOL_MAX_SIZE reactive connections (default 20) and Flyway's two at start, the gateway
# and the pipeline DB_SENDS_POOL_MAX_SIZE (3) more for their Telegram sends; the vhost
# (created if missing) gets the whole topology and this run's users
infra/local/up.sh --connections $((3 * (${DB_POOL_MAX_SIZE:-20} + 2) + 2 * ${DB_SENDS_POOL_MAX_SIZE:-3})) --broker-users "$users_file"
rm -f "$users_file"

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
  remove_broker_users
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

# The services run as in production, which refuses to start without real secrets (docs/security.md): a local run
# makes its own, fresh each time and never printed.
random_secret() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
random_bot_token() { # a real token's shape: <bot id>:<35 characters>
  printf '%s:%s' "$((1000000000 + $(od -An -N3 -tu4 /dev/urandom | tr -d ' ')))" \
    "$(head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9_-' | head -c 35)"
}
export BILLING_INTERNAL_TOKEN=${BILLING_INTERNAL_TOKEN:-$(random_secret)}
export KIE_CALLBACK_SECRET=${KIE_CALLBACK_SECRET:-$(random_secret)}
# Where sellers reach a person; production refuses to start without one. The local bot names this made-up one.
export SUPPORT_CONTACT=${SUPPORT_CONTACT:-@neurocards_local_help}

emulated=()
emulator_args=()
if [[ -z "${TELEGRAM_BOT_TOKEN:-}" ]]; then
  TELEGRAM_BOT_TOKEN=$(random_bot_token)
  export TELEGRAM_BOT_TOKEN
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

start_service() { # module port broker-role
  echo "[run] starting $1 on :$2"
  # the client compiler only, as deployed (docs/decisions/0021-client-compiler-only.md)
  HTTP_PORT=$2 RABBITMQ_USER=${broker_user[$3]} RABBITMQ_PASSWORD=${broker_password[$3]} \
    java -XX:TieredStopAtLevel=1 -jar "$1/target/quarkus-app/quarkus-run.jar" >"$run_dir/$1.log" 2>&1 &
  pids+=($!)
}
# billing credits payments reported by this run's gateway only
export TRUSTED_PAYMENT_PUBLISHERS=${broker_user[gateway]}
# the gateway asks billing for balances (the menu, the count step)
export BILLING_URL=${BILLING_URL:-http://127.0.0.1:${BILLING_PORT:-8081}}
start_service billing "${BILLING_PORT:-8081}" billing
start_service generation-pipeline "${PIPELINE_PORT:-8082}" pipeline
start_service bot-gateway "${GATEWAY_PORT:-8080}" gateway

wait_http billing "http://127.0.0.1:${BILLING_PORT:-8081}/q/health/ready" 120
wait_http generation-pipeline "http://127.0.0.1:${PIPELINE_PORT:-8082}/q/health/ready" 120
wait_http bot-gateway "http://127.0.0.1:${GATEWAY_PORT:-8080}/q/health/ready" 120

cat <<INFO

NeuroCards is running.${emulated:+ Emulated: ${emulated[*]}.}
  RabbitMQ console   http://127.0.0.1:15672  (guest/guest): queues billing.*, pipeline.*, gateway.*, their .dlq, neurocards.delay.*
  CLI                set -a; . $run_dir/operator.env; set +a; infra/bin/neurocards --help  (this run's operator user)
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
