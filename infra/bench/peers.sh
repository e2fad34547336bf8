#!/usr/bin/env bash
# OrleansDynamo next to its peers, in one run on this machine: the limit (a constant-answer Kestrel server of ours,
# `noop`), dynalite (installed from npm when missing), and our server on the embedded store, in memory and on
# PostgreSQL (a throwaway local server).
#
#   bash infra/bench/peers.sh [seconds per workload, default 10]
#
# Every target gets the same 20,000 items of about 1 KB, a JIT warm-up, then the load generator of this tree runs
# each workload on each target in rotation (A on noop, A on dynalite, ..., C on noop, ...), from one client process
# at a time: 32 closed-loop AWS SDK clients over HTTP, zipfian keys (infra/bench/README.md). `bulk` is the
# BatchWriteItem load again (25 items a call, 8 loaders), in items/s. Prints ops/s per target with the ratios the
# performance goals name, p99, and server CPU per GetItem (C) and PutItem (W) from /proc.
#
# Environment:
#   TARGETS        default noop,dynalite,embedded,memory,postgres
#   WORKLOADS      default A,C,W,Q,S,cond,bulk
#   ITEMS          default 20000
#   ROUNDS         repeat the rotation and report medians (default 1; even rounds go through the targets backwards)
#   WARMUP         unmeasured seconds before each run (default 3)
#   FIRST_WARMUP   unmeasured seconds of A, Q and S on each target before the first round, for the JIT (default 30)
#   SERVER_ARGS    extra flags for our server on every store
#   LOADGEN_ARGS   extra flags for every workload run (e.g. "--workers 64")
#   BENCH_CACHE    where dynalite is installed (default ~/.cache/orleansdynamo-bench)
#   KEEP_WORK=1    keep the temporary folder (logs, JSON results)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=infra/bench/lib.sh
source "$repo/infra/bench/lib.sh"
[ "${1:-}" != "-h" ] && [ "${1:-}" != "--help" ] || { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
seconds=${1:-10}
IFS=, read -ra targets <<<"${TARGETS:-noop,dynalite,embedded,memory,postgres}"
IFS=, read -ra workloads <<<"${WORKLOADS:-A,C,W,Q,S,cond,bulk}"
items=${ITEMS:-20000}
rounds=${ROUNDS:-1}
cache=${BENCH_CACHE:-$HOME/.cache/orleansdynamo-bench}
command -v jq >/dev/null || die "needs jq (apt-get install jq)"
has_target() { [[ " ${targets[*]} " == *" $1 "* ]]; }

work=$(mktemp -d "${TMPDIR:-/tmp}/odyn-peers.XXXXXX")
declare -A pid=() port=()
pg_data=""

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  local status=$?
  set +e
  stop_pids "${pid[@]}"
  [ -n "$pg_data" ] && as_postgres "$pg_bin/pg_ctl" stop -m immediate -D "$pg_data" >/dev/null 2>&1
  if [ "${KEEP_WORK:-0}" = 1 ] || [ $status -ne 0 ]; then echo "logs and results kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_loadgen

if has_target embedded || has_target memory || has_target postgres; then
  echo "publishing the server of this tree (Release)..."
  dotnet publish "$repo/src/OrleansDynamo.Server" -c Release -o "$work/server" -nologo -v quiet >"$work/publish.log" 2>&1 \
    || { tail -30 "$work/publish.log"; die "publishing the server failed"; }
fi

if has_target dynalite; then
  dynalite=$cache/dynalite/node_modules/dynalite/cli.js
  if [ ! -f "$dynalite" ]; then
    command -v npm >/dev/null || die "dynalite needs Node.js and npm (apt-get install nodejs npm)"
    echo "installing dynalite from npm into $cache/dynalite..."
    mkdir -p "$cache/dynalite"
    npm install --prefix "$cache/dynalite" --no-audit --no-fund --silent dynalite@3.2.2 >"$work/npm.log" 2>&1 \
      || { tail -20 "$work/npm.log"; die "npm install dynalite failed"; }
  fi
fi

if has_target postgres; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$pg_bin/initdb" ] || die "the postgres target needs PostgreSQL's server binaries (apt-get install postgresql)"
  pick_port; pg_port=$picked
  # As root the server runs as the postgres user, which must reach its folder inside ours.
  mkdir -p "$work/pg"; [ "$(id -u)" -ne 0 ] || { chmod 755 "$work"; chown postgres "$work/pg"; }
  pg_data=$work/pg/data
  as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale=C >"$work/pg/initdb.log" 2>&1 || die "initdb failed"
  # fsync stays on: the durable targets are measured with their durability.
  as_postgres "$pg_bin/pg_ctl" start -w -D "$pg_data" -l "$work/pg/server.log" \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" >/dev/null || die "PostgreSQL did not start"
  as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres odyn
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=odyn;Maximum Pool Size=64"
fi

start_target() { # name
  local name=$1 log=$work/$1.log silo gateway admin
  pick_port; port[$name]=$picked
  local server=("dotnet" "$work/server/OrleansDynamo.Server.dll")
  if [[ $name == embedded || $name == memory || $name == postgres ]]; then
    pick_port; silo=$picked; pick_port; gateway=$picked; pick_port; admin=$picked
    server+=(--port "${port[$name]}" --silo-port "$silo" --gateway-port "$gateway" --admin-port "$admin")
  fi
  case $name in
    noop) dotnet "$loadgen" noop --port "${port[$name]}" >"$log" 2>&1 & ;;
    dynalite) node "$dynalite" --port "${port[$name]}" >"$log" 2>&1 & ;;
    # shellcheck disable=SC2086 # SERVER_ARGS is a list of flags
    embedded) "${server[@]}" --data-dir "$work/data-embedded" ${SERVER_ARGS:-} >"$log" 2>&1 & ;;
    # shellcheck disable=SC2086
    memory) "${server[@]}" --in-memory ${SERVER_ARGS:-} >"$log" 2>&1 & ;;
    # shellcheck disable=SC2086
    postgres) "${server[@]}" --storage postgres --postgres "$pg_connection" ${SERVER_ARGS:-} >"$log" 2>&1 & ;;
    *) die "unknown target '$name' (known: noop, dynalite, embedded, memory, postgres)" ;;
  esac
  pid[$name]=$!
  case $name in
    noop) wait_for_line noop "${pid[$name]}" "$log" "noop listening" ;;
    dynalite) wait_for_line dynalite "${pid[$name]}" "$log" "Listening at" ;;
    *) wait_for_line "the $name server" "${pid[$name]}" "$log" "OrleansDynamo listening" ;;
  esac
  echo "$name: http://127.0.0.1:${port[$name]} (pid ${pid[$name]})"
}

run() { # target workload-args...
  local target=$1
  shift
  # shellcheck disable=SC2086 # LOADGEN_ARGS is a list of flags
  dotnet "$loadgen" workloads --endpoint "http://127.0.0.1:${port[$target]}" --items "$items" ${LOADGEN_ARGS:-} "$@"
}

# CPU time of a process so far, in microseconds (utime + stime of /proc/PID/stat).
cpu_us() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000000 / hz }' "/proc/$1/stat"; }

for target in "${targets[@]}"; do
  start_target "$target"
  run "$target" --load --workloads none | sed "s/^/  $target: /"
  if [ "${FIRST_WARMUP:-30}" != 0 ]; then
    echo "  $target: JIT warm-up, ${FIRST_WARMUP:-30} s"
    run "$target" --workloads A,Q,S --warmup 0 --seconds "$(awk -v s="${FIRST_WARMUP:-30}" 'BEGIN { print s / 3 }')" >/dev/null
  fi
done

for round in $(seq 1 "$rounds"); do
  order=("${targets[@]}")
  if [ $((round % 2)) -eq 0 ]; then mapfile -t order < <(printf '%s\n' "${targets[@]}" | tac); fi
  for w in "${workloads[@]}"; do
    for target in "${order[@]}"; do
      echo "== $w on $target (round $round of $rounds)"
      result=$work/$target-$w-$round.json
      if [ "$w" = bulk ]; then
        run "$target" --load --workloads none --json "$result" | sed "s/^/  /"
        continue
      fi
      before=$(cpu_us "${pid[$target]}")
      # The noop server's answers make the cond check fail by design; other failures are reported below.
      run "$target" --workloads "$w" --warmup "${WARMUP:-3}" --seconds "$seconds" --json "$result" | sed "s/^/  /" || true
      after=$(cpu_us "${pid[$target]}")
      # Server CPU per operation, warm-up included in both the time and the operations' share of it.
      jq -r --argjson cpu "$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')" --argjson warm "${WARMUP:-3}" --argjson s "$seconds" \
        '.results[0] | ($cpu / (.ops * (1 + $warm / $s)))' "$result" >"$work/$target-$w-$round.cpu"
    done
  done
done

value() { # target workload jq-expression: median over the rounds
  json_median "$work/$1-$2" "$3"
}
cpu() { # target workload: median server µs per operation
  local files=("$work/$1-$2-"*.cpu)
  [ -f "${files[0]}" ] && cat "${files[@]}" | median
}
ops() { # target workload
  if [ "$2" = bulk ]; then value "$1" "$2" .loadItemsPerSecond; else value "$1" "$2" '.results[0].opsPerSecond'; fi
}
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }'; }

echo
echo "$items items of ~1 KB, $seconds s per workload after ${WARMUP:-3} s warm-up, ${FIRST_WARMUP:-30} s JIT warm-up per target" \
  "${LOADGEN_ARGS:+, load generator flags: $LOADGEN_ARGS}${SERVER_ARGS:+, server flags: $SERVER_ARGS}$([ "$rounds" -gt 1 ] && echo ", medians of $rounds rounds")"
echo "ops/s (bulk: items/s)"
header=$(printf '%-9s' workload); for t in "${targets[@]}"; do header+=$(printf ' %10s' "$t"); done
for pair in embedded/noop embedded/dynalite embedded/memory postgres/embedded; do
  has_target "${pair%/*}" && has_target "${pair#*/}" && header+=$(printf ' %18s' "$pair")
done
echo "$header"
for w in "${workloads[@]}"; do
  line=$(printf '%-9s' "$w"); for t in "${targets[@]}"; do line+=$(printf ' %10.0f' "$(ops "$t" "$w")"); done
  for pair in embedded/noop embedded/dynalite embedded/memory postgres/embedded; do
    has_target "${pair%/*}" && has_target "${pair#*/}" && line+=$(printf ' %18s' "$(ratio "$(ops "${pair%/*}" "$w")" "$(ops "${pair#*/}" "$w")")")
  done
  echo "$line"
done
echo "p99 ms"
echo "$(printf '%-9s' workload)$(for t in "${targets[@]}"; do printf ' %10s' "$t"; done)"
for w in "${workloads[@]}"; do
  [ "$w" = bulk ] && continue
  echo "$(printf '%-9s' "$w")$(for t in "${targets[@]}"; do printf ' %10.2f' "$(value "$t" "$w" '.results[0].p99Ms')"; done)"
done
for w in C W; do
  [[ " ${workloads[*]} " == *" $w "* ]] || continue
  line="server CPU per op, $w:"
  for t in "${targets[@]}"; do line+=" $t $(printf '%.0f' "$(cpu "$t" "$w")") µs"; done
  has_target noop && has_target embedded && line+=" (embedded $(ratio "$(cpu embedded "$w")" "$(cpu noop "$w")") noop)"
  echo "$line"
done
for t in "${targets[@]}"; do
  [ "$t" = noop ] && continue
  for f in "$work/$t-cond-"*.json; do [ -f "$f" ] && echo "cond check on $t: $(jq -r '.results[0].check // "-"' "$f")"; done
done
exit 0
