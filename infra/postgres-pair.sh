#!/usr/bin/env bash
# A PostgreSQL primary with a synchronous standby on one machine, for tests and demos of OrleansDynamo on
# redundant storage (docs/operations.md, "Redundant PostgreSQL"). Two nodes, a and b, under one folder, on
# 127.0.0.1 with trust authentication: never expose this pair beyond the machine.
#
#   postgres-pair.sh init DIR [PORT_A] [PORT_B]   a primary on node a, b its synchronous standby (5432, 5433)
#   postgres-pair.sh connection DIR [DATABASE]    the multi-host connection string for the silos
#   postgres-pair.sh kill DIR NODE                kill -9 a node's postmaster, as a crash would
#   postgres-pair.sh promote DIR NODE             make the standby NODE the primary (after its primary died)
#   postgres-pair.sh rejoin DIR NODE              rewind the old primary NODE and start it as the new standby
#   postgres-pair.sh status DIR                   each node's role
#   postgres-pair.sh stop DIR                     stop both nodes
#
# Commits wait for the standby (synchronous_standby_names = '*', synchronous_commit = on), so an acknowledged
# write is on both nodes. After promote the new primary runs alone (commits would otherwise wait for a standby
# that is gone) until rejoin brings the other node back as its synchronous standby. The old primary is never
# started as a primary again: rejoin runs pg_rewind against the new primary first, so writes it never
# replicated are discarded, and it starts with standby.signal.
set -euo pipefail

command=${1:-}; dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { sed -n '6,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

binaries=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$binaries/initdb" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql (Debian: apt-get install postgresql)" >&2; exit 1; }

# As root, the server runs as the postgres user, which then owns the folder.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg() { as_owner "$binaries/$1" "${@:2}"; }

port_of() { cat "$dir/$1.port"; }
other() { [ "$1" = a ] && echo b || echo a; }
check_node() { [ "$1" = a ] || [ "$1" = b ] || { echo "the nodes are a and b, not '$1'" >&2; exit 2; }; }
sql() { pg psql -X -q -t -A -h 127.0.0.1 -p "$(port_of "$1")" -U postgres -d postgres -c "$2"; }

# Settings of a node: its own port and socket folder, WAL for a standby and for pg_rewind, commits synchronous.
configure() {
  local node=$1
  cat >> "$dir/$node/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $(port_of "$node")
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 5
wal_log_hints = on
wal_keep_size = 256MB
hot_standby = on
synchronous_commit = on
synchronous_standby_names = '*'
wal_sender_timeout = 5s
wal_receiver_timeout = 5s
max_connections = 200
log_min_messages = warning
EOF
}

start() { pg pg_ctl start -w -t 60 -D "$dir/$1" -l "$dir/$1.log" >/dev/null; }

wait_for_standby() {
  local primary=$1
  for _ in $(seq 1 600); do
    [ "$(sql "$primary" "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" = 1 ] && return 0
    sleep 0.1
  done
  echo "no synchronous standby of node $primary within 60 s" >&2; exit 1
}

case "$command" in
  init)
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    [ ! -e "$dir/a" ] || { echo "$dir already holds a pair" >&2; exit 1; }
    echo "${3:-5432}" > "$dir/a.port"; echo "${4:-5433}" > "$dir/b.port"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    pg initdb -D "$dir/a" -U postgres -A trust -E UTF8 --locale=C >/dev/null
    configure a
    start a
    pg pg_basebackup -h 127.0.0.1 -p "$(port_of a)" -U postgres -D "$dir/b" -X stream -R
    configure b
    start b
    wait_for_standby a
    echo "primary a on $(port_of a), synchronous standby b on $(port_of b)"
    ;;
  connection)
    dir=$(cd "$dir" && pwd)
    # Host Recheck Seconds: notice the promoted standby within a second, not the default ten.
    echo "Host=127.0.0.1:$(port_of a),127.0.0.1:$(port_of b);Username=postgres;Database=${3:-postgres};Target Session Attributes=primary;Host Recheck Seconds=1"
    ;;
  kill)
    check_node "$3"
    kill -9 "$(head -1 "$dir/$3/postmaster.pid")"
    ;;
  promote)
    check_node "$3"
    pg pg_ctl promote -w -t 60 -D "$dir/$3" >/dev/null
    # Alone now: a commit must not wait for a standby that is gone.
    sql "$3" "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
    sql "$3" "SELECT pg_reload_conf()" >/dev/null
    echo "node $3 is the primary"
    ;;
  rejoin)
    check_node "$3"; node=$3; primary=$(other "$node")
    # Fenced first: a node that still runs is stopped before it can take another write.
    if [ -f "$dir/$node/postmaster.pid" ]; then pg pg_ctl stop -m immediate -w -D "$dir/$node" >/dev/null 2>&1 || true; fi
    # pg_rewind reads the new primary's timeline from its control file, which a checkpoint brings up to date.
    sql "$primary" "CHECKPOINT" >/dev/null
    # pg_rewind finishes the node's crash recovery itself, then copies what diverged from the new primary.
    pg pg_rewind -D "$dir/$node" --source-server="host=127.0.0.1 port=$(port_of "$primary") user=postgres dbname=postgres" -R \
      >>"$dir/$node.log" 2>&1 || { echo "pg_rewind of node $node failed; see $dir/$node.log" >&2; exit 1; }
    configure "$node" # the rewind copied the primary's settings, its port among them
    start "$node"
    sql "$primary" "ALTER SYSTEM SET synchronous_standby_names = '*'" >/dev/null
    sql "$primary" "SELECT pg_reload_conf()" >/dev/null
    wait_for_standby "$primary"
    echo "node $node is the synchronous standby of $primary"
    ;;
  status)
    for node in a b; do
      role=$(sql "$node" "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END" 2>/dev/null || echo down)
      echo "$node $(port_of "$node") $role"
    done
    ;;
  stop)
    for node in a b; do
      if [ -f "$dir/$node/postmaster.pid" ]; then pg pg_ctl stop -m fast -w -D "$dir/$node" >/dev/null 2>&1 || true; fi
    done
    ;;
  *)
    echo "unknown command '$command'" >&2; exit 2
    ;;
esac
