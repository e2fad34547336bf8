#!/usr/bin/env bash
# Measures two commits of the server in one run, so that both see the same machine at the same time.
#
#   bash infra/bench/compare-commits.sh BEFORE_REF AFTER_REF [seconds per workload, default 10]
#
# Each ref is checked out into a temporary git worktree and its src/OrleansDynamo.Server published (Release).
# Both servers then run side by side (embedded store, fresh data folders, their own ports), each gets the same
# items loaded, and the load generator of THIS tree runs the workloads (tests/OrleansDynamo.LoadGenerator,
# scenario `workloads`) on them in rotation: A on before, A on after, C on before, ... Prints one table:
# ops/s of each, the ratio after/before, and p99 of each. Servers and worktrees are removed at exit.
#
# Environment:
#   BEFORE_SERVER_ARGS, AFTER_SERVER_ARGS  extra server flags for one side (e.g. AFTER_SERVER_ARGS="--cache-mb 256")
#   WORKLOADS      workloads to run, in order (default A,C,W,Q,S,cond)
#   ITEMS          items loaded into each server (default 20000)
#   ROUNDS         repeat the rotation this many times and report medians (default 1; odd rounds start with
#                  before, even ones with after): on a busy machine one round of identical commits can differ 2x
#   WARMUP         unmeasured seconds before each workload run (default 15: the JIT's tiering and PGO take 20-30 s
#                  to settle under load, and a short warm-up measures compilation, not the server)
#   LOADGEN_ARGS   extra flags for every workload run (e.g. "--workers 64 --keys uniform")
#   BENCH_CACHE    a folder to keep published servers in, by commit, and reuse them from (default: none, publish each time)
#   KEEP_WORK=1    keep the temporary folder (server logs, JSON results) instead of deleting it
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=infra/bench/lib.sh
source "$repo/infra/bench/lib.sh"
[ $# -ge 2 ] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
before_ref=$1 after_ref=$2 seconds=${3:-10}
workloads=${WORKLOADS:-A,C,W,Q,S,cond}
items=${ITEMS:-20000}
command -v jq >/dev/null || die "needs jq (apt-get install jq)"

before_sha=$(git -C "$repo" rev-parse --verify "$before_ref^{commit}") || die "no commit $before_ref"
after_sha=$(git -C "$repo" rev-parse --verify "$after_ref^{commit}") || die "no commit $after_ref"

work=$(mktemp -d "${TMPDIR:-/tmp}/odyn-compare.XXXXXX")
declare -A server_pid=() port=() server_dir=()
worktrees=()

cleanup() {
  local status=$?
  set +e
  stop_pids "${server_pid[@]}"
  for tree in "${worktrees[@]}"; do git -C "$repo" worktree remove --force "$tree" >/dev/null 2>&1; done
  if [ "${KEEP_WORK:-0}" = 1 ] || [ $status -ne 0 ]; then echo "logs and results kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The load generator of the current tree, built once, measures both sides.
build_loadgen

publish() { # side sha
  local side=$1 sha=$2 tree=$work/src-$1 out
  out=${BENCH_CACHE:+$BENCH_CACHE/$sha}
  out=${out:-$work/server-$side}
  server_dir[$side]=$out
  if [ -f "$out/OrleansDynamo.Server.dll" ]; then echo "$side (${sha:0:12}): reusing the server published in $out"; return 0; fi
  echo "publishing the server of $side (${sha:0:12})..."
  git -C "$repo" worktree add --detach "$tree" "$sha" >/dev/null 2>&1 || die "git worktree add $sha failed"
  worktrees+=("$tree")
  rm -rf "$out.partial"
  mkdir -p "$(dirname "$out")"
  dotnet publish "$tree/src/OrleansDynamo.Server" -c Release -o "$out.partial" -nologo -v quiet >"$work/publish-$side.log" 2>&1 \
    || { tail -30 "$work/publish-$side.log"; die "publishing $side failed (log: $work/publish-$side.log)"; }
  mv "$out.partial" "$out"
}

start_server() { # side extra-args
  local side=$1 extra=$2 log=$work/server-$1.log
  local silo gateway admin
  pick_port; port[$side]=$picked
  pick_port; silo=$picked
  pick_port; gateway=$picked
  # The admin port would default to the DynamoDB port + 1, which is the silo port picked above.
  pick_port; admin=$picked
  # shellcheck disable=SC2086 # extra is a list of flags
  dotnet "${server_dir[$side]}/OrleansDynamo.Server.dll" --data-dir "$work/data-$side" \
    --port "${port[$side]}" --silo-port "$silo" --gateway-port "$gateway" --admin-port "$admin" $extra >"$log" 2>&1 &
  server_pid[$side]=$!
  wait_for_line "the $side server" "${server_pid[$side]}" "$log" "OrleansDynamo listening"
  echo "$side: http://127.0.0.1:${port[$side]} (pid ${server_pid[$side]}) ${extra:+flags: $extra}"
}

workload_run() { # side workload-args...
  local side=$1
  shift
  # shellcheck disable=SC2086 # LOADGEN_ARGS is a list of flags
  dotnet "$loadgen" workloads --endpoint "http://127.0.0.1:${port[$side]}" --items "$items" --warmup "${WARMUP:-15}" ${LOADGEN_ARGS:-} "$@"
}

publish before "$before_sha"
publish after "$after_sha"
start_server before "${BEFORE_SERVER_ARGS:-}"
start_server after "${AFTER_SERVER_ARGS:-}"
for side in before after; do
  echo "loading $items items into $side..."
  workload_run "$side" --load --workloads none | sed "s/^/  $side: /"
done

IFS=, read -ra list <<<"$workloads"
rounds=${ROUNDS:-1}
failed=0
for round in $(seq 1 "$rounds"); do
  # Odd rounds measure before first, even rounds after first, so a drift of the machine's load cancels out.
  if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
  for w in "${list[@]}"; do
    for side in $order; do
      echo "== $w on $side (round $round of $rounds)"
      workload_run "$side" --workloads "$w" --seconds "$seconds" --json "$work/$side-$w-$round.json" | sed "s/^/  /" \
        || { echo "  (the $w run on $side exited with an error)"; failed=1; }
    done
  done
done

field() { # side workload jq-field: the median over the rounds (empty when no run wrote it)
  json_median "$work/$1-$2" ".results[0].$3"
}

checks() { # side workload: the check line of every round
  local files=("$work/$1-$2-"*.json)
  [ -f "${files[0]}" ] || return 0
  jq -r ".results[0].check // empty" "${files[@]}"
}

echo
echo "before: $before_ref (${before_sha:0:12})${BEFORE_SERVER_ARGS:+ flags: $BEFORE_SERVER_ARGS}"
echo "after:  $after_ref (${after_sha:0:12})${AFTER_SERVER_ARGS:+ flags: $AFTER_SERVER_ARGS}"
summary="$items items, $seconds s per workload, embedded store, workloads in rotation"
summary+=", ${WARMUP:-15} s warm-up"
[ -n "${LOADGEN_ARGS:-}" ] && summary+=", load generator flags: $LOADGEN_ARGS"
[ "$rounds" -gt 1 ] && summary+=", medians of $rounds rounds"
echo "$summary"
printf '%-9s %13s %12s %8s %15s %14s %8s\n' workload "before ops/s" "after ops/s" ratio "p99 before ms" "p99 after ms" errors
for w in "${list[@]}"; do
  b=$(field before "$w" opsPerSecond) a=$(field after "$w" opsPerSecond)
  bp=$(field before "$w" p99Ms) ap=$(field after "$w" p99Ms)
  be=$(field before "$w" errors) ae=$(field after "$w" errors)
  ratio=$(awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-9s %13.0f %12.0f %8s %15.2f %14.2f %8s\n' "$w" "${b:-0}" "${a:-0}" "$ratio" "${bp:-0}" "${ap:-0}" "${be:--}/${ae:--}"
done
for w in "${list[@]}"; do
  for side in before after; do
    checks "$side" "$w" | while read -r check; do echo "$w check on $side: $check"; done
  done
done
exit "$failed"
