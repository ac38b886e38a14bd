#!/usr/bin/env bash
# Makes sure the services NeuroCards needs are up: RabbitMQ (with its management console) and PostgreSQL.
# Local installations are used where they exist (started if stopped); otherwise a Debian machine gets them from
# its packages (as root), and a machine with Docker gets them from infra/compose. Safe to run again and again.
#
#   up.sh [--connections N]   N: database connections the caller will open at its peak (test.sh passes the suite's
#                             budget, run.sh the local system's). When PostgreSQL cannot give that many more, up.sh
#                             raises max_connections if it manages the local PostgreSQL itself, and otherwise stops
#                             with a clear message instead of letting the caller fail half-way.
#   up.sh --broker-users FILE  also provisions the broker for the services' own users (docs/decisions/0011-broker-users.md):
#                             the vhost RABBITMQ_VHOST (default /) with the whole topology of
#                             infra/rabbitmq/definitions.json, and each user FILE names, created or updated with its
#                             password, tags and permissions from infra/rabbitmq/broker-users.tsv. FILE (keep it
#                             private: chmod 600) has one line per user, "ROLE PASSWORD" for the standard name
#                             (neurocards-gateway, ...) or "ROLE USER PASSWORD"; ROLE is gateway, billing, pipeline or
#                             operator; passwords without spaces. RABBITMQ_USER/RABBITMQ_PASSWORD (default guest) must
#                             be a broker administrator. Passwords are sent on stdin, never on a command line or in a log.
set -euo pipefail

need_connections=0
broker_users_file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) need_connections=$2; shift 2 ;;
    --broker-users) broker_users_file=$2; shift 2 ;;
    *) echo "usage: up.sh [--connections N] [--broker-users FILE]" >&2; exit 2 ;;
  esac
done

RABBITMQ_HOST=${RABBITMQ_HOST:-127.0.0.1}
RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
RABBITMQ_MANAGEMENT_PORT=${RABBITMQ_MANAGEMENT_PORT:-15672}
RABBITMQ_USER=${RABBITMQ_USER:-guest}
RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-guest}
RABBITMQ_VHOST=${RABBITMQ_VHOST:-/}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-postgres}
DB_NAME=${DB_NAME:-neurocards}
# psql asks for no password when PostgreSQL trusts local connections; the compose file's PostgreSQL wants DB_PASSWORD
if [[ -n "${DB_PASSWORD:-}" ]]; then export PGPASSWORD=${PGPASSWORD:-$DB_PASSWORD}; fi
here=$(cd "$(dirname "$0")" && pwd)

say() { printf '[up] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # name host port seconds
  local i
  for ((i = 0; i < $4 * 2; i++)); do
    if port_open "$2" "$3"; then return 0; fi
    sleep 0.5
  done
  say "$1 did not open $2:$3 within $4 s"
  return 1
}

is_local() { [[ "$1" == 127.* || "$1" == localhost || "$1" == ::1 ]]; }

install_from_debian() {
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing $* from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    return 0
  fi
  return 1
}

compose_up() {
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    say "starting $1 with Docker (infra/compose)"
    docker compose -f "$here/../compose/docker-compose.yml" up -d "$1"
    return 0
  fi
  return 1
}

ensure_postgres() {
  if port_open "$DB_HOST" "$DB_PORT"; then return 0; fi
  is_local "$DB_HOST" || { say "PostgreSQL at $DB_HOST:$DB_PORT is not reachable"; return 1; }
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    install_from_debian postgresql || compose_up postgres || { say "no PostgreSQL here: install PostgreSQL 15 or Docker"; return 1; }
  fi
  if ls /etc/postgresql/*/main >/dev/null 2>&1 && ! port_open "$DB_HOST" "$DB_PORT"; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  wait_for PostgreSQL "$DB_HOST" "$DB_PORT" 60
}

ensure_rabbitmq() {
  if ! port_open "$RABBITMQ_HOST" "$RABBITMQ_PORT"; then
    is_local "$RABBITMQ_HOST" || { say "RabbitMQ at $RABBITMQ_HOST:$RABBITMQ_PORT is not reachable"; return 1; }
    if ! command -v rabbitmq-server >/dev/null; then
      install_from_debian rabbitmq-server || compose_up rabbitmq || { say "no RabbitMQ here: install RabbitMQ 3.10+ or Docker"; return 1; }
    fi
    if command -v rabbitmq-server >/dev/null && ! port_open "$RABBITMQ_HOST" "$RABBITMQ_PORT"; then
      say "starting RabbitMQ"
      rabbitmq-plugins enable --offline rabbitmq_management >/dev/null 2>&1 || true
      rabbitmq-server -detached >/dev/null 2>&1 || true
    fi
    wait_for RabbitMQ "$RABBITMQ_HOST" "$RABBITMQ_PORT" 90
  fi
  if ! port_open "$RABBITMQ_HOST" "$RABBITMQ_MANAGEMENT_PORT" && command -v rabbitmq-plugins >/dev/null; then
    say "enabling the RabbitMQ management console"
    rabbitmq-plugins enable rabbitmq_management >/dev/null
  fi
  wait_for "RabbitMQ management" "$RABBITMQ_HOST" "$RABBITMQ_MANAGEMENT_PORT" 60
  # The API answers a little after the port opens.
  local i
  for ((i = 0; i < 60; i++)); do
    if curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" "http://$RABBITMQ_HOST:$RABBITMQ_MANAGEMENT_PORT/api/overview" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  say "the RabbitMQ management API does not answer"
  return 1
}

ensure_database() {
  command -v psql >/dev/null || return 0
  if ! psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    say "creating database $DB_NAME"
    psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qc "CREATE DATABASE \"$DB_NAME\""
  fi
}

psql_admin() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc "$1"; }

# PostgreSQL's max_connections must leave room for what the caller opens, besides the connections already in use and
# those reserved for superusers.
ensure_connections() {
  [[ $need_connections -gt 0 ]] && command -v psql >/dev/null || return 0
  local max reserved in_use free wanted version
  max=$(psql_admin "SHOW max_connections")
  reserved=$(psql_admin "SHOW superuser_reserved_connections")
  in_use=$(psql_admin "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
  free=$((max - reserved - in_use))
  if [[ $free -ge $need_connections ]]; then
    say "PostgreSQL: $free of max_connections $max free; $need_connections needed"
    return 0
  fi
  wanted=$((in_use + reserved + need_connections + 20))
  if is_local "$DB_HOST" && command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1 \
      && [[ $(id -u) -eq 0 ]]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    say "PostgreSQL: max_connections $max leaves $free free ($in_use in use, $reserved reserved) but $need_connections are needed; raising it to $wanted and restarting PostgreSQL $version"
    psql_admin "ALTER SYSTEM SET max_connections = $wanted" >/dev/null
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart
    wait_for PostgreSQL "$DB_HOST" "$DB_PORT" 60
    return 0
  fi
  say "PostgreSQL at $DB_HOST:$DB_PORT allows $max connections ($in_use in use, $reserved reserved for superusers):"
  say "  $need_connections more are needed (README, \"Connection budget\"). Raise max_connections to at least $wanted"
  say "  (ALTER SYSTEM SET max_connections = $wanted; then restart PostgreSQL), or stop what holds the $in_use in use."
  return 1
}

urlencode() { local LC_ALL=C s=$1 i c out=""; for ((i = 0; i < ${#s}; i++)); do c=${s:i:1}; case "$c" in [a-zA-Z0-9._~-]) out+=$c ;; *) printf -v c '%%%02X' "'$c"; out+=$c ;; esac; done; printf '%s' "$out"; }
json_string() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# One call to the management API as the administrator; the body (which may hold a password) goes on stdin.
rabbit_api() { # method path [body]
  local response status
  response=$(mktemp)
  status=$(printf '%s' "${3:-}" | curl -sS -o "$response" -w '%{http_code}' -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" \
    -X "$1" -H 'content-type: application/json' ${3:+--data-binary @-} \
    "http://$RABBITMQ_HOST:$RABBITMQ_MANAGEMENT_PORT/api$2") || status=000
  if [[ $status != 2* ]]; then
    say "RabbitMQ management API: $1 $2 answered $status: $(head -c 300 "$response")"
    rm -f "$response"
    return 1
  fi
  rm -f "$response"
}

# The vhost with the whole topology, and the users of $broker_users_file with the permissions of broker-users.tsv.
ensure_broker_users() {
  [[ -n $broker_users_file ]] || return 0
  [[ -r $broker_users_file ]] || { say "cannot read the broker users file $broker_users_file"; return 1; }
  local table="$here/../rabbitmq/broker-users.tsv" vhost
  vhost=$(urlencode "$RABBITMQ_VHOST")
  rabbit_api PUT "/vhosts/$vhost" '{}'
  rabbit_api PUT "/permissions/$vhost/$(urlencode "$RABBITMQ_USER")" '{"configure":".*","write":".*","read":".*"}'
  # the whole topology up front, so no event is unroutable whichever service starts first
  rabbit_api POST "/definitions/$vhost" "$(cat "$here/../rabbitmq/definitions.json")"
  local role user password extra tsv_role tsv_user tags configure write read found count=0
  while read -r role user password extra || [[ -n $role ]]; do
    [[ -z $role || $role == \#* ]] && continue
    if [[ -z $password ]]; then password=$user; user=""; fi
    [[ -z $extra && -n $password ]] || { say "$broker_users_file: expected \"ROLE PASSWORD\" or \"ROLE USER PASSWORD\" (role $role)"; return 1; }
    found=""
    while IFS=$'\t' read -r tsv_role tsv_user tags configure write read; do
      [[ $tsv_role == \#* || $tsv_role != "$role" ]] && continue
      found=1
      user=${user:-$tsv_user}
      [[ $tags == - ]] && tags=""
      rabbit_api PUT "/users/$(urlencode "$user")" "{\"password\":$(json_string "$password"),\"tags\":$(json_string "$tags")}"
      rabbit_api PUT "/permissions/$vhost/$(urlencode "$user")" \
        "{\"configure\":$(json_string "$configure"),\"write\":$(json_string "$write"),\"read\":$(json_string "$read")}"
      count=$((count + 1))
    done <"$table"
    [[ -n $found ]] || { say "$broker_users_file: unknown role '$role' (known: $(grep -v '^#' "$table" | cut -f1 | tr '\n' ' '))"; return 1; }
  done <"$broker_users_file"
  say "RabbitMQ vhost $RABBITMQ_VHOST: topology imported, $count broker user(s) created or updated"
}

ensure_postgres
ensure_rabbitmq
ensure_database
ensure_connections
ensure_broker_users
say "PostgreSQL $DB_HOST:$DB_PORT (database $DB_NAME) and RabbitMQ $RABBITMQ_HOST:$RABBITMQ_PORT (console :$RABBITMQ_MANAGEMENT_PORT) are up"
