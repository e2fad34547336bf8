#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: restores, builds, runs every test project,
# and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages some tests need: PostgreSQL's server binaries (the PostgreSQL tests start their own throwaway
# server) and Chromium (the web page tests drive it through Playwright).
apt_install() {
  local as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -n "${ODYN_CHROMIUM:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (needed by the PostgreSQL and web page tests)..."
  apt_install "${missing[@]}" || exit 1
fi

# The DynamoDB Streams tests drive the AWS SDK for JavaScript's Streams client (the .NET one is not served here).
if [ ! -d tests/StreamsSdk/node_modules/@aws-sdk/client-dynamodb-streams ]; then
  echo "Installing the AWS SDK's DynamoDB Streams client (needed by the Streams tests)..."
  (cd tests/StreamsSdk && npm ci --no-audit --no-fund --silent) || exit 1
fi

log=$(mktemp)
dotnet test OrleansDynamo.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints a line like "Passed!  - Failed:     0, Passed:    42, Skipped:     0, ...".
read -r passed failed < <(awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") { gsub(",", "", $(i+1)); f += $(i+1) }
      if ($i == "Passed:") { gsub(",", "", $(i+1)); p += $(i+1) }
    }
  }
  END { print p + 0, f + 0 }' "$log")
rm -f "$log"

# A build or runner failure that reported no failing test still counts as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
