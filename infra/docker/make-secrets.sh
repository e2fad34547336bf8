#!/usr/bin/env bash
# Writes the secret files infra/docker/compose.yaml reads, with a fresh random PostgreSQL password and access key:
#
#   infra/docker/make-secrets.sh [DIR]      (DIR defaults to infra/docker/secrets; existing files are kept)
#
#   postgres-password       the password of PostgreSQL's odyn user
#   postgres-connection     the silos' connection string (same password)
#   credentials.json        one principal allowed everything; its access key is printed
#
# The folder is mode 700, so other users of this machine cannot reach the files in it. The files themselves are
# 644: Compose bind-mounts each one into the containers as it is, and the silos run as uid 1654 and PostgreSQL as
# its postgres user, neither of which owns them.
set -euo pipefail

dir=${1:-$(cd "$(dirname "$0")" && pwd)/secrets}
mkdir -p "$dir"
chmod 700 "$dir"

random() { head -c "$1" /dev/urandom | base64 | tr -d '/+=\n'; }

if [ ! -f "$dir/postgres-password" ] || [ ! -f "$dir/postgres-connection" ]; then
  password=$(random 24)
  printf '%s' "$password" >"$dir/postgres-password"
  printf 'Host=postgres;Port=5432;Database=odyn;Username=odyn;Password=%s' "$password" >"$dir/postgres-connection"
fi

if [ ! -f "$dir/credentials.json" ]; then
  key=AKOD$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
  secret=$(random 30)
  cat >"$dir/credentials.json" <<JSON
{"principals": [{"name": "admin", "accessKeyId": "$key", "secretAccessKey": "$secret",
  "policy": {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "odyn:Admin"], "Resource": "*"}]}}]}
JSON
fi

chmod 644 "$dir/postgres-password" "$dir/postgres-connection" "$dir/credentials.json"
echo "secrets in $dir (access key $(grep -o '"accessKeyId": "[^"]*"' "$dir/credentials.json" | head -1 | cut -d'"' -f4))"
