# Shared by the benchmark scripts (sourced, not run): errors, free ports, the load generator, processes, medians.
# The script sets $repo and $work before it calls these.

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

port_in_use() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
next_port=$((20000 + RANDOM % 20000))
pick_port() { # sets $picked (a global: $(...) would lose next_port's increment)
  while port_in_use "$next_port"; do next_port=$((next_port + 1)); done
  picked=$next_port
  next_port=$((next_port + 1))
}

# The load generator of this tree, built once (Release); sets $loadgen.
build_loadgen() {
  echo "building the load generator of $repo..."
  dotnet build "$repo/tests/OrleansDynamo.LoadGenerator" -c Release -nologo -v quiet >"$work/loadgen-build.log" 2>&1 \
    || { tail -30 "$work/loadgen-build.log"; die "load generator build failed"; }
  loadgen=$repo/tests/OrleansDynamo.LoadGenerator/bin/Release/net10.0/OrleansDynamo.LoadGenerator.dll
  [ -f "$loadgen" ] || die "no $loadgen after the build"
}

# Waits until LOG has a line starting with TEXT, while PID lives (180 s at most).
wait_for_line() { # name pid log text
  local name=$1 pid=$2 log=$3 text=$4
  for _ in $(seq 1 360); do
    grep -q "^$text" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { tail -30 "$log"; die "$name exited (log: $log)"; }
    sleep 0.5
  done
  die "$name did not start within 180 s (log: $log)"
}

# SIGTERM to each pid, SIGKILL to those still there after 10 s.
stop_pids() {
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null; done
  for pid in "$@"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  return 0
}

# The median of the numbers on standard input (nothing when there are none).
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# The median over the rounds of a jq field of the JSON files matching PREFIX-*.json (nothing when none wrote it).
json_median() { # prefix jq-expression
  local files=("$1"-*.json)
  [ -f "${files[0]}" ] || return 0
  jq -r "$2 // empty" "${files[@]}" | median
}
