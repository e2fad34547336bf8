#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: restores, builds, runs every test project,
# and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# The PostgreSQL tests start their own throwaway server; they need its binaries.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing PostgreSQL (needed by the PostgreSQL tests)..."
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
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
