#!/usr/bin/env bash
# Runs an N-silo OrleansDynamo cluster on this machine against PostgreSQL, for development and tests.
#
#   infra/cluster.sh start [-n 3] [--postgres "Host=...;Database=...;Username=..." | --local-postgres] [-- extra server flags]
#   infra/cluster.sh status          silos, their ports, and partitions per silo
#   infra/cluster.sh add             one more silo into the running cluster
#   infra/cluster.sh kill I          kill -9 silo I (failover drills)
#   infra/cluster.sh stop [--clean]  stop every silo (and the local PostgreSQL); --clean deletes the state folder
#
# Silo I (from 0) serves DynamoDB on HTTP port 8000+I, its admin endpoints on 127.0.0.1:9000+I, talks to other
# silos on 11111+I and to Orleans clients on 30000+I (change the bases with --http-port, --admin-port,
# --silo-port, --gateway-port). A cluster requires SigV4: start writes a credentials file with a fresh key
# (printed; kept across restarts) unless ODYN_CREDENTIALS_FILE names one. State, logs and the built server
# live in $ODYN_CLUSTER_DIR (default ./.cluster).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${ODYN_CLUSTER_DIR:-$repo/.cluster}
settings=$dir/cluster.env
server_dll=$dir/artifacts/bin/OrleansDynamo.Server/release/OrleansDynamo.Server.dll

die() { echo "cluster.sh: $*" >&2; exit 1; }

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

silo_pid() { cat "$dir/silo-$1.pid" 2>/dev/null || true; }

silo_indexes() { for f in "$dir"/silo-*.pid; do [ -e "$f" ] || continue; basename "$f" .pid | cut -d- -f2; done | sort -n; }

# PostgreSQL's server programs refuse to run as root; run them as the postgres user then.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

postgres_binaries() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql (Debian: apt-get install postgresql)"
  echo "$bin"
}

start_local_postgres() {
  local bin port=$1 data=$dir/postgres
  bin=$(postgres_binaries)
  if [ ! -d "$data" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$data"
    as_postgres "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  fi
  as_postgres "$bin/pg_ctl" start -w -D "$data" -l "$data/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c max_connections=300" >/dev/null
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='odyn'" | grep -q 1 \
    || as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres odyn
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=odyn"
}

build_server() {
  echo "building the server..."
  dotnet build "$repo/src/OrleansDynamo.Server" -c Release --artifacts-path "$dir/artifacts" -nologo -v quiet >"$dir/build.log" 2>&1 \
    || { tail -20 "$dir/build.log"; die "build failed (log: $dir/build.log)"; }
}

# Starts silo $1 in the background and waits until it serves requests.
start_silo() {
  local i=$1 log=$dir/silo-$1.log http=$((HTTP_PORT + $1))
  # The connection string goes in the environment, not on the command line, where ps would show it.
  # shellcheck disable=SC2086 # EXTRA_FLAGS is a list of flags
  ODYN_POSTGRES="$POSTGRES" nohup dotnet "$server_dll" --cluster postgres --storage postgres --cluster-id "$CLUSTER_ID" \
    --credentials-file "$CREDENTIALS" --port "$http" --admin-port $((ADMIN_PORT + i)) \
    --silo-port $((SILO_PORT + i)) --gateway-port $((GATEWAY_PORT + i)) $EXTRA_FLAGS >"$log" 2>&1 &
  echo $! >"$dir/silo-$i.pid"
  for _ in $(seq 1 120); do
    grep -q "OrleansDynamo listening" "$log" 2>/dev/null && { echo "silo $i: http://127.0.0.1:$http (pid $(silo_pid "$i"))"; return 0; }
    pid_alive "$(silo_pid "$i")" || { tail -20 "$log"; die "silo $i exited (log: $log)"; }
    sleep 0.5
  done
  die "silo $i did not start within 60 s (log: $log)"
}

# A principal with every permission and a random key, written once (mode 600) and kept.
write_credentials() {
  local file=$1
  [ -f "$file" ] && return 0
  local key secret
  key=AKOD$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
  secret=$(head -c 30 /dev/urandom | base64 | tr -d '/+=\n')
  (umask 077; cat >"$file" <<JSON
{"principals": [{"name": "admin", "accessKeyId": "$key", "secretAccessKey": "$secret",
  "policy": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}}]}
JSON
  )
}

load_settings() { [ -f "$settings" ] || die "no cluster here ($dir); run: infra/cluster.sh start"; source "$settings"; }

cmd_start() {
  local count=3 postgres="" local_postgres=false postgres_port=55432 build=true
  HTTP_PORT=8000 ADMIN_PORT=9000 SILO_PORT=11111 GATEWAY_PORT=30000 CLUSTER_ID=odyn-dev EXTRA_FLAGS=""
  while [ $# -gt 0 ]; do
    case $1 in
      -n|--silos) count=$2; shift 2 ;;
      --postgres) postgres=$2; shift 2 ;;
      --local-postgres) local_postgres=true; shift ;;
      --postgres-port) postgres_port=$2; shift 2 ;;
      --http-port) HTTP_PORT=$2; shift 2 ;;
      --admin-port) ADMIN_PORT=$2; shift 2 ;;
      --silo-port) SILO_PORT=$2; shift 2 ;;
      --gateway-port) GATEWAY_PORT=$2; shift 2 ;;
      --cluster-id) CLUSTER_ID=$2; shift 2 ;;
      --no-build) build=false; shift ;;
      --) shift; EXTRA_FLAGS="$*"; break ;;
      -h|--help) usage ;;
      *) die "unknown option $1 (see infra/cluster.sh --help)" ;;
    esac
  done
  [ -n "$(silo_indexes 2>/dev/null)" ] && for i in $(silo_indexes); do pid_alive "$(silo_pid "$i")" && die "silo $i is running; stop the cluster first"; done
  mkdir -p "$dir"
  rm -f "$dir"/silo-*.pid
  if $local_postgres; then POSTGRES=$(start_local_postgres "$postgres_port"); LOCAL_POSTGRES=true
  else [ -n "$postgres" ] || die "give --postgres \"<connection string>\" or --local-postgres"; POSTGRES=$postgres; LOCAL_POSTGRES=false
  fi
  CREDENTIALS=${ODYN_CREDENTIALS_FILE:-$dir/credentials.json}
  write_credentials "$CREDENTIALS"
  echo "credentials: $CREDENTIALS (access key $(grep -o '"accessKeyId": "[^"]*"' "$CREDENTIALS" | head -1 | cut -d'"' -f4))"
  for name in POSTGRES LOCAL_POSTGRES HTTP_PORT ADMIN_PORT SILO_PORT GATEWAY_PORT CLUSTER_ID EXTRA_FLAGS CREDENTIALS; do
    printf '%s=%q\n' "$name" "${!name}"
  done >"$settings"
  if $build || [ ! -f "$server_dll" ]; then build_server; fi

  start_silo 0 # the first silo migrates the database; the others join it
  local pids=()
  for i in $(seq 1 $((count - 1))); do start_silo "$i" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || die "a silo did not start"; done
}

cmd_add() {
  load_settings
  local last
  last=$(silo_indexes | tail -1)
  start_silo $(( ${last:--1} + 1 ))
}

cmd_kill() {
  load_settings
  local pid
  pid=$(silo_pid "${1:?which silo? infra/cluster.sh kill I}")
  pid_alive "$pid" || die "silo $1 is not running"
  kill -9 "$pid"
  echo "silo $1 (pid $pid) killed"
}

cmd_status() {
  load_settings
  local any=""
  printf '%-5s %-8s %-8s %-6s %-10s %-8s\n' silo pid state http silo-port gateway
  for i in $(silo_indexes); do
    local pid state=dead
    pid=$(silo_pid "$i")
    pid_alive "$pid" && { state=running; any=${any:-$((ADMIN_PORT + i))}; }
    printf '%-5s %-8s %-8s %-6s %-10s %-8s\n' "$i" "$pid" "$state" $((HTTP_PORT + i)) $((SILO_PORT + i)) $((GATEWAY_PORT + i))
  done
  if [ -n "$any" ]; then
    echo "partitions per silo: $(curl -s --max-time 10 "http://127.0.0.1:$any/admin/partitions" || echo unavailable)"
  fi
}

cmd_stop() {
  [ -f "$settings" ] || { echo "no cluster here ($dir)"; return 0; }
  source "$settings"
  for i in $(silo_indexes); do
    local pid
    pid=$(silo_pid "$i")
    if pid_alive "$pid"; then kill "$pid"; fi
  done
  # A graceful stop hands partitions over; give it ten seconds, then kill what is left.
  for _ in $(seq 1 20); do
    local running=false
    for i in $(silo_indexes); do pid_alive "$(silo_pid "$i")" && running=true; done
    $running || break
    sleep 0.5
  done
  for i in $(silo_indexes); do pid_alive "$(silo_pid "$i")" && kill -9 "$(silo_pid "$i")"; rm -f "$dir/silo-$i.pid"; done
  if [ "${LOCAL_POSTGRES:-false}" = true ] && [ -f "$dir/postgres/postmaster.pid" ]; then
    as_postgres "$(postgres_binaries)/pg_ctl" stop -m fast -w -D "$dir/postgres" >/dev/null
  fi
  echo "cluster stopped"
  if [ "${1:-}" = --clean ]; then rm -rf "$dir"; echo "removed $dir"; fi
}

case ${1:-} in
  start) shift; cmd_start "$@" ;;
  add) shift; cmd_add ;;
  kill) shift; cmd_kill "$@" ;;
  status|list) cmd_status ;;
  stop) shift; cmd_stop "$@" ;;
  -h|--help|help) usage ;;
  *) usage 1 ;;
esac
