#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine, beside (never instead of) the standalone broker up.sh looks after:
# each node has its own Erlang node name, ports and data directory, all share one Erlang cookie, and nodes 2 and 3 are
# joined to node 1. Uses the machine's RabbitMQ installation (3.10+; no Docker). The services reach it through
# RABBITMQ_ADDRESSES (printed by `up` and `addresses`); docs/operations.md, "A RabbitMQ cluster".
#
#   cluster.sh up                 starts whatever node is not running and clusters them; safe to run again
#   cluster.sh down               stops every node and deletes the cluster's data directory
#   cluster.sh status             the members (running or not) and, per vhost, which node leads each quorum queue
#                                 and how many of its members are online
#   cluster.sh stop-node N        stops node N (1..3) the way an operator would (rabbitmqctl stop)
#   cluster.sh kill-node N        kills node N's Erlang VM (SIGKILL): a crash, not a shutdown
#   cluster.sh start-node N       starts node N again; it rejoins the cluster by itself
#   cluster.sh addresses          prints the AMQP address list (host:port,host:port,host:port)
#
# Variables: CLUSTER_DIR (data, logs, cookie; default target/rabbitmq-cluster under the repository), CLUSTER_NODE_PREFIX
# (default nc: nodes nc1@localhost, nc2@localhost, nc3@localhost), CLUSTER_AMQP_BASE (default 5680: node N listens
# for AMQP on 5680+N), CLUSTER_MANAGEMENT_BASE (15680: management API/console on 15680+N), CLUSTER_DIST_BASE (25680:
# Erlang distribution on 25680+N), RABBITMQ_USER/RABBITMQ_PASSWORD (an administrator, default guest, for `status`).
# Two clusters can run side by side with their own CLUSTER_DIR, CLUSTER_NODE_PREFIX and port bases.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CLUSTER_DIR=${CLUSTER_DIR:-$root/target/rabbitmq-cluster}
CLUSTER_NODE_PREFIX=${CLUSTER_NODE_PREFIX:-nc}
CLUSTER_AMQP_BASE=${CLUSTER_AMQP_BASE:-5680}
CLUSTER_MANAGEMENT_BASE=${CLUSTER_MANAGEMENT_BASE:-15680}
CLUSTER_DIST_BASE=${CLUSTER_DIST_BASE:-25680}
RABBITMQ_USER=${RABBITMQ_USER:-guest}
RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-guest}
NODES=(1 2 3)

say() { printf '[cluster] %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

# Debian's /usr/sbin wrappers switch to the rabbitmq user and its cookie; the scripts behind them run as any user, so
# the nodes and every command about them run as the caller, with the cluster's own cookie ($HOME/.erlang.cookie).
rabbit_bin() {
  if [[ -x /usr/lib/rabbitmq/bin/$1 ]]; then
    printf '%s' "/usr/lib/rabbitmq/bin/$1"
  elif command -v "$1" >/dev/null; then
    command -v "$1"
  else
    die "$1 not found: install RabbitMQ 3.10+ (Debian: apt-get install rabbitmq-server)"
  fi
}

node_name() { printf '%s%s@localhost' "$CLUSTER_NODE_PREFIX" "$1"; }
node_dir() { printf '%s/%s%s' "$CLUSTER_DIR" "$CLUSTER_NODE_PREFIX" "$1"; }
amqp_port() { printf '%s' $((CLUSTER_AMQP_BASE + $1)); }
management_port() { printf '%s' $((CLUSTER_MANAGEMENT_BASE + $1)); }
dist_port() { printf '%s' $((CLUSTER_DIST_BASE + $1)); }

check_node_number() {
  [[ ${1:-} =~ ^[123]$ ]] || die "expected a node number 1..3, got '${1:-}'"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs one of RabbitMQ's tools for node N with the node's environment (its own files, never /etc/rabbitmq's).
with_node_env() { # N command...
  local n=$1 dir
  shift
  dir=$(node_dir "$n")
  env HOME="$CLUSTER_DIR" \
    RABBITMQ_NODENAME="$(node_name "$n")" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$(amqp_port "$n")" \
    RABBITMQ_DIST_PORT="$(dist_port "$n")" \
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_CTL_DIST_PORT_MIN=$(($(dist_port "$n") + 10000)) \
    RABBITMQ_CTL_DIST_PORT_MAX=$(($(dist_port "$n") + 10010)) \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    ERL_CRASH_DUMP="$dir/log/erl_crash.dump" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    "$@"
}

ctl() { # N rabbitmqctl-arguments...
  local n=$1
  shift
  with_node_env "$n" "$(rabbit_bin rabbitmqctl)" -n "$(node_name "$n")" "$@"
}

write_node_files() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$dir/mnesia" "$dir/log"
  : >"$dir/rabbitmq-env.conf"
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")
management.tcp.ip = 127.0.0.1
management.tcp.port = $(management_port "$n")
cluster_name = ${CLUSTER_NODE_PREFIX}-local
log.file.level = info
log.console = false
EOF
  printf '[].\n' >"$dir/advanced.config"
  printf '[rabbitmq_management].\n' >"$dir/enabled_plugins"
}

ensure_cookie() {
  mkdir -p "$CLUSTER_DIR"
  local cookie="$CLUSTER_DIR/.erlang.cookie"
  if [[ ! -s $cookie ]]; then
    (umask 077 && od -An -N20 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F' >"$cookie")
  fi
  chmod 400 "$cookie"
}

node_running() { # the node's VM answers and the RabbitMQ application runs in it
  ctl "$1" -q await_startup --timeout 1 >/dev/null 2>&1
}

node_pid() {
  local pid_file
  pid_file="$(node_dir "$1")/pid"
  [[ -s $pid_file ]] || return 1
  local pid
  pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

launch_node() { # starts the node's VM in the background, without waiting for it
  local n=$1
  if node_pid "$n" >/dev/null; then return 0; fi
  for port in "$(amqp_port "$n")" "$(management_port "$n")" "$(dist_port "$n")"; do
    if port_open "$port"; then die "port $port (node $n) is taken by something else: set CLUSTER_*_BASE"; fi
  done
  write_node_files "$n"
  rm -f "$(node_dir "$n")/pid"
  say "starting $(node_name "$n") (AMQP 127.0.0.1:$(amqp_port "$n"), management :$(management_port "$n"))"
  (cd "$CLUSTER_DIR" && with_node_env "$n" "$(rabbit_bin rabbitmq-server)" -detached \
    >>"$(node_dir "$n")/log/startup.log" 2>&1)
}

await_node() { # until the node's RabbitMQ application runs; the CLI fails at once while the VM is not yet reachable
  local n=$1 deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    if ctl "$n" -q await_startup --timeout 10 >/dev/null 2>&1; then return 0; fi
    # the pid file appears a moment after the start; once there, a dead process means the node gave up
    if [[ -s "$(node_dir "$n")/pid" ]] && ! node_pid "$n" >/dev/null; then break; fi
    sleep 0.5
  done
  tail -n 20 "$(node_dir "$n")"/log/*.log >&2 || true
  die "$(node_name "$n") did not start (logs in $(node_dir "$n")/log)"
}

running_members() { # as node 1 sees them, one a line
  ctl 1 -q cluster_status --formatter json 2>/dev/null \
    | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin).get("running_nodes", [])))'
}

all_members() {
  ctl 1 -q cluster_status --formatter json 2>/dev/null \
    | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin).get("disk_nodes", [])))'
}

join_node() {
  local n=$1 first
  first=$(node_name 1)
  if ctl "$n" -q cluster_status --formatter json 2>/dev/null \
      | python3 -c 'import json,sys; sys.exit(0 if sys.argv[1] in json.load(sys.stdin).get("disk_nodes", []) else 1)' "$first"; then
    return 0
  fi
  say "joining $(node_name "$n") to $first"
  local log
  log="$(node_dir "$n")/log/join.log"
  # the CLI logs the node's own start-up chatter while it joins; it goes to the node's log directory
  { ctl "$n" -q stop_app && ctl "$n" -q reset && ctl "$n" -q join_cluster "$first" && ctl "$n" -q start_app; } \
    >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "$(node_name "$n") could not join $first (see $log)"; }
}

addresses() {
  local n out=""
  for n in "${NODES[@]}"; do out+="${out:+,}127.0.0.1:$(amqp_port "$n")"; done
  printf '%s\n' "$out"
}

await_management() {
  local n=$1 i
  for ((i = 0; i < 120; i++)); do
    if curl -fsS -o /dev/null -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" "http://127.0.0.1:$(management_port "$n")/api/overview" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  die "the management API of $(node_name "$n") does not answer on :$(management_port "$n")"
}

cmd_up() {
  ensure_cookie
  local n
  # All at once: a node that was stopped with the others waits at boot for the peer that stopped last.
  for n in "${NODES[@]}"; do launch_node "$n"; done
  for n in "${NODES[@]}"; do await_node "$n"; done
  for n in 2 3; do join_node "$n"; done
  for n in "${NODES[@]}"; do await_management "$n"; done
  say "running: $(running_members | tr '\n' ' ')"
  say "RABBITMQ_ADDRESSES=$(addresses)"
}

stop_node() {
  local n=$1 pid
  pid=$(node_pid "$n") || { say "$(node_name "$n") is not running"; return 0; }
  say "stopping $(node_name "$n")"
  ctl "$n" -q stop "$(node_dir "$n")/pid" >/dev/null 2>&1 || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  say "$(node_name "$n") did not stop within 20 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

kill_node() {
  local n=$1 pid
  pid=$(node_pid "$n") || { say "$(node_name "$n") is not running"; return 0; }
  say "killing $(node_name "$n") (pid $pid)"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

cmd_down() {
  local n
  for n in "${NODES[@]}"; do stop_node "$n" & done
  wait
  if [[ -d $CLUSTER_DIR ]]; then
    rm -rf "$CLUSTER_DIR"
    say "removed $CLUSTER_DIR"
  fi
}

cmd_start_node() {
  local n=$1
  ensure_cookie
  launch_node "$n"
  await_node "$n"
  await_management "$n"
  say "$(node_name "$n") is running; cluster: $(running_members | tr '\n' ' ')"
}

cmd_status() {
  local n member running any=""
  if [[ ! -d $CLUSTER_DIR ]]; then
    say "no cluster here ($CLUSTER_DIR does not exist)"
    return 3
  fi
  for n in "${NODES[@]}"; do
    if node_running "$n"; then any=$n; break; fi
  done
  if [[ -z $any ]]; then
    say "no node of the cluster is running ($CLUSTER_DIR)"
    return 3
  fi
  running=$(ctl "$any" -q cluster_status --formatter json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin).get("running_nodes", [])))')
  say "members (as $(node_name "$any") sees them):"
  for member in $(ctl "$any" -q cluster_status --formatter json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin).get("disk_nodes", [])))'); do
    if [[ " $running " == *" $member "* ]]; then say "  $member running"; else say "  $member DOWN"; fi
  done
  say "RABBITMQ_ADDRESSES=$(addresses)"
  curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" "http://127.0.0.1:$(management_port "$any")/api/queues?columns=vhost,name,type,leader,members,online,messages" \
    | python3 -c '
import json, sys
queues = [q for q in json.load(sys.stdin) if q.get("type") == "quorum"]
if not queues:
    print("[cluster] no quorum queues yet")
leaders = {}
for q in sorted(queues, key=lambda q: (q["vhost"], q["name"])):
    leader = q.get("leader", "?")
    leaders[leader] = leaders.get(leader, 0) + 1
    print("[cluster]   %-12s %-34s leader %-18s members %d, online %d, messages %s" % (
        q["vhost"], q["name"], leader, len(q.get("members", [])), len(q.get("online", [])), q.get("messages", 0)))
if queues:
    print("[cluster] quorum queues led per node: " + ", ".join("%s %d" % kv for kv in sorted(leaders.items())))
'
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  stop-node) check_node_number "${2:-}"; stop_node "$2" ;;
  kill-node) check_node_number "${2:-}"; kill_node "$2" ;;
  start-node) check_node_number "${2:-}"; cmd_start_node "$2" ;;
  addresses) addresses ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
