#!/usr/bin/env bash
# Makes the legacy-data fixtures of LegacyDataTests from the server of one commit (default: HEAD):
#
#   embedded-v1.tar.gz  an embedded-store data directory (--data-dir) written by that server
#   postgres-v1.sql     a plain pg_dump (no owner, no privileges) of the database it wrote with
#                       --cluster postgres --storage postgres
#   expected.json       what the data must look like: every table's and index's Scan (sorted by key),
#                       a few Queries (base table, LSI, GSI) in DynamoDB JSON, ListTables and DescribeTable
#
# Both stores receive the same requests, with a small split threshold so that the Orders table splits
# into more than 4 partitions; the script fails unless both answer the same. The server is stopped with
# SIGTERM before the data is archived.
#
# Usage: tests/OrleansDynamo.Process.Tests/LegacyData/make-fixtures.sh [COMMIT]
#   OUT=DIR writes the fixtures to DIR instead of beside this script.
# Needs: git, dotnet, curl, jq, xxd, PostgreSQL server binaries (/usr/lib/postgresql/*/bin), runuser as root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse --verify "${1:-HEAD}^{commit}")
out=${OUT:-$here}
split_threshold=16384 # bytes; an Orders item is about 2.2 KB

work=$(mktemp -d /tmp/odyn-fixtures.XXXXXX)
pg_dir=""
server_pid=""

die() { echo "make-fixtures: $*" >&2; exit 1; }

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then as_postgres "$pg_bin/pg_ctl" stop -m immediate -w -D "$pg_dir/data" >/dev/null 2>&1 || true; fi
  [ -n "$pg_dir" ] && rm -rf "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT

for tool in git dotnet curl jq xxd sha256sum base64 ss tar gzip; do
  command -v "$tool" >/dev/null || die "needs $tool"
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || die "needs the PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin (apt-get install postgresql)"

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if [ -z "$(ss -Hltn "sport = :$port")" ]; then echo "$port"; return; fi
  done
}

# ---------------------------------------------------------------------------------------------------
# The server of the commit, published from a clean export of it (uncommitted changes play no part).

echo "== publishing the server of $commit"
mkdir -p "$work/source"
git -C "$repo" archive "$commit" | tar -x -C "$work/source"
dotnet publish "$work/source/src/OrleansDynamo.Server/OrleansDynamo.Server.csproj" -c Release -o "$work/server" \
  --nologo -v quiet -p:UseSharedCompilation=false >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; die "publish failed"; }

url=""
server_log=""

# start_server NAME FLAGS...: starts the published server and waits until it accepts requests.
start_server() {
  local name=$1; shift
  server_log="$work/$name.log"
  # Information for OrleansDynamo's own categories: the log tells how often tables split.
  ODYN_Logging__LogLevel__OrleansDynamo=Information \
    dotnet "$work/server/OrleansDynamo.Server.dll" --port 0 --silo-port "$(free_port)" --gateway-port "$(free_port)" \
      --split-threshold-bytes "$split_threshold" "$@" >"$server_log" 2>&1 &
  server_pid=$!
  local waited=0
  until grep -qs "^OrleansDynamo listening" "$server_log"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$server_log"; die "the server exited at start"; }
    [ $waited -lt 900 ] || { cat "$server_log"; die "the server did not start within 90 s"; }
    sleep 0.1; waited=$((waited + 1))
  done
  local port
  port=$(sed -n 's|^OrleansDynamo listening: DynamoDB API at http://localhost:\([0-9]*\)/.*|\1|p' "$server_log")
  [ -n "$port" ] || die "no port in: $(grep '^OrleansDynamo listening' "$server_log")"
  url="http://127.0.0.1:$port/"
  echo "   server $name (pid $server_pid) at $url"
}

# stop_server: SIGTERM, then waits for a clean exit.
stop_server() {
  kill -TERM "$server_pid"
  local waited=0 status=0
  while kill -0 "$server_pid" 2>/dev/null; do
    [ $waited -lt 600 ] || { cat "$server_log"; die "the server did not stop within 60 s of SIGTERM"; }
    sleep 0.1; waited=$((waited + 1))
  done
  wait "$server_pid" || status=$?
  server_pid=""
  [ $status -eq 0 ] || { cat "$server_log"; die "the server exited with $status after SIGTERM"; }
}

# ddb OPERATION JSON: one DynamoDB JSON-protocol request; prints the response, fails on any error.
ddb() {
  local op=$1 body=$2 response code
  response=$(printf '%s' "$body" | curl -sS --max-time 60 -X POST "$url" \
    -H "X-Amz-Target: DynamoDB_20120810.$op" -H 'Content-Type: application/x-amz-json-1.0' \
    --data-binary @- -w '\n%{http_code}') || die "$op: curl failed"
  code=${response##*$'\n'}
  response=${response%$'\n'*}
  [ "$code" = 200 ] || die "$op answered $code: $response
request: ${body:0:2000}"
  printf '%s\n' "$response"
}

# read_all OPERATION JSON: every page of a Scan or Query; prints the items as one JSON array.
read_all() {
  local op=$1 request=$2 pages="$work/pages" start=null n=0
  rm -rf "$pages"; mkdir -p "$pages"
  while :; do
    n=$((n + 1))
    ddb "$op" "$(jq -c --argjson s "$start" 'if $s == null then . else . + {ExclusiveStartKey: $s} end' <<<"$request")" >"$pages/$(printf %04d $n).json"
    start=$(jq -c '.LastEvaluatedKey // null' "$pages/$(printf %04d $n).json")
    [ "$start" != null ] || break
    [ $n -lt 10000 ] || die "$op does not end: $request"
  done
  jq -cs '[.[].Items[]]' "$pages"/*.json
}

# Bytes as base64: hex_b64 HEX; deterministic pseudo-random bytes: bytes_b64 SEED LENGTH.
hex_b64() { printf '%s' "$1" | xxd -r -p | base64 -w0; }
bytes_b64() {
  local hex="" block=$1
  while [ ${#hex} -lt $(($2 * 2)) ]; do block=$(printf '%s' "$block" | sha256sum | cut -c1-64); hex+=$block; done
  hex_b64 "${hex:0:$(($2 * 2))}"
}

put() { ddb PutItem "$(jq -nc --arg t "$1" --argjson item "$2" '{TableName: $t, Item: $item}')" >/dev/null; }
update() { ddb UpdateItem "$1" >/dev/null; }

# ---------------------------------------------------------------------------------------------------
# The data. Every run writes the same items, so that both stores must answer the same.

create_tables() {
  ddb CreateTable '{"TableName":"Simple","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}' >/dev/null
  ddb CreateTable '{"TableName":"Orders","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
      {"AttributeName":"amount","AttributeType":"N"},{"AttributeName":"status","AttributeType":"S"},{"AttributeName":"placedAt","AttributeType":"N"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
    "LocalSecondaryIndexes":[{"IndexName":"byAmount",
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"amount","KeyType":"RANGE"}],
      "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["status","tags"]}}],
    "GlobalSecondaryIndexes":[{"IndexName":"byStatus",
      "KeySchema":[{"AttributeName":"status","KeyType":"HASH"},{"AttributeName":"placedAt","KeyType":"RANGE"}],
      "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["amount","customer"]}}]}' >/dev/null
  ddb CreateTable '{"TableName":"Blobs","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"bk","AttributeType":"B"},{"AttributeName":"name","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"bk","KeyType":"HASH"},{"AttributeName":"name","KeyType":"RANGE"}]}' >/dev/null
  # Its first incarnation: deleted later and created again with another key schema and other items.
  ddb CreateTable '{"TableName":"Recreated","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}]}' >/dev/null
}

write_recreated_first() {
  local i
  for i in $(seq 0 9); do
    put Recreated "$(jq -nc --arg k "same-$i" --argjson i "$i" '{k: {S: $k}, gen: {S: "first"}, n: {N: ($i | tostring)}}')"
  done
}

recreate() {
  ddb DeleteTable '{"TableName":"Recreated"}' >/dev/null
  ddb CreateTable '{"TableName":"Recreated","BillingMode":"PROVISIONED",
    "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":7},
    "AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}],
    "KeySchema":[{"AttributeName":"k","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}]}' >/dev/null
  local k n
  for k in 0 1 2 3; do
    for n in -1 2.5; do
      put Recreated "$(jq -nc --arg k "same-$k" --arg n "$n" '{k: {S: $k}, n: {N: $n}, gen: {S: "second"}, flag: {BOOL: true}}')"
    done
  done
}

write_simple() {
  local ids=() i
  for i in $(seq 0 25); do ids+=("$(printf 'user-%02d' "$i")"); done
  ids+=("Zoë" "ключ-1" "日本語のキー" "emoji-😀" "with space" "UPPER")
  local b_small b_other b_zero
  b_small=$(hex_b64 00010203fffefd)
  b_other=$(hex_b64 c0ffee)
  b_zero=$(hex_b64 00)
  i=0
  for id in "${ids[@]}"; do
    put Simple "$(jq -nc --arg id "$id" --argjson i "$i" --arg avatar "$(bytes_b64 "avatar-$i" $((8 + i * 3)))" \
      --arg bs "$b_small" --arg bo "$b_other" --arg bz "$b_zero" '
      def n: tostring;
      {
        id: {S: $id},
        name: {S: ("User \($i) – \($id)")},
        age: {N: ([ "0", "-17", "42", "3.25", "-0.001", "1E+30", "123456789012345678901234567890.12345678", "7" ][$i % 8])},
        active: {BOOL: ($i % 2 == 0)},
        tags: {SS: (["common", "t\($i % 3)"] + (if $i % 4 == 0 then ["ünïcode"] else [] end))},
        scores: {NS: ["1", "2.5", ("-\($i)"), "1E-130"]},
        avatar: {B: $avatar},
        keys: {BS: [$bs, $bo, $bz]},
        history: {L: [{S: "created"}, {N: ($i * 10 | n)}, {BOOL: false}, {NULL: true},
                      {M: {at: {N: "1700000000.5"}, by: {S: "script"}}}, {L: [{S: "nested"}, {L: []}]}]},
        profile: {M: {
          address: {M: {city: {S: (["Oslo", "São Paulo", "東京", "Zürich"][$i % 4])}, zip: {N: (1000 + $i | n)}}},
          prefs: {M: {theme: {S: (if $i % 2 == 0 then "dark" else "light" end)}, flags: {L: [{BOOL: true}, {NULL: true}]}, empty: {M: {}}}}
        }},
        note: {S: (if $i % 3 == 0 then "" else "note \($i)" end)},
        emptyList: {L: []},
        big: {N: "9.9999999999999999999999999999999999999E+125"},
        small: {N: "-1E-130"}
      }
      + (if $i % 5 == 0 then {nickname: {NULL: true}} else {} end)')"
    i=$((i + 1))
  done

  # Changes after the puts: arithmetic, set ADD/DELETE, nested SET/REMOVE, list_append, an upsert, an overwrite.
  update '{"TableName":"Simple","Key":{"id":{"S":"user-03"}},
    "UpdateExpression":"SET age = age + :d, #n = :name REMOVE nickname",
    "ExpressionAttributeNames":{"#n":"name"},
    "ExpressionAttributeValues":{":d":{"N":"0.5"},":name":{"S":"Renamed Three"}}}'
  update '{"TableName":"Simple","Key":{"id":{"S":"user-04"}},
    "UpdateExpression":"ADD tags :t, scores :s",
    "ExpressionAttributeValues":{":t":{"SS":["added","common"]},":s":{"NS":["99","-1E+100"]}}}'
  update '{"TableName":"Simple","Key":{"id":{"S":"user-05"}},
    "UpdateExpression":"DELETE tags :t, scores :s",
    "ExpressionAttributeValues":{":t":{"SS":["common"]},":s":{"NS":["2.5"]}}}'
  update '{"TableName":"Simple","Key":{"id":{"S":"user-06"}},
    "UpdateExpression":"SET profile.address.city = :c, history = list_append(history, :more)",
    "ExpressionAttributeValues":{":c":{"S":"Reykjavík"},":more":{"L":[{"S":"moved"},{"N":"-2"}]}}}'
  update '{"TableName":"Simple","Key":{"id":{"S":"user-07"}},
    "UpdateExpression":"SET newMap = :m, visits = if_not_exists(visits, :zero) + :one",
    "ExpressionAttributeValues":{":m":{"M":{"inner":{"M":{}},"list":{"L":[{"B":"AAEC"}]}}},":zero":{"N":"0"},":one":{"N":"1"}}}'
  update '{"TableName":"Simple","Key":{"id":{"S":"user-08"}},
    "UpdateExpression":"REMOVE history[1], profile.prefs"}'
  update '{"TableName":"Simple","Key":{"id":{"S":"user-99"}},
    "UpdateExpression":"SET a = :a",
    "ExpressionAttributeValues":{":a":{"S":"created by UpdateItem"}}}'
  put Simple '{"id":{"S":"user-09"},"only":{"S":"overwritten"}}'
  ddb DeleteItem '{"TableName":"Simple","Key":{"id":{"S":"user-10"}}}' >/dev/null
  ddb DeleteItem '{"TableName":"Simple","Key":{"id":{"S":"user-11"}},
    "ConditionExpression":"attribute_exists(id)"}' >/dev/null
}

# Orders: 12 customers with 5 orders each, sort keys from negative to huge; put one by one and in
# batches, so that partitions split while they are written.
sk_pool='["-9.9999999999999999999999999999999999999E+125","-1E-130","0","1E-130","3.14159265358979323846264338327950288",
  "-273.15","42","1E+100","-5","0.000001","123456789012345678901234567890123456","9.9999999999999999999999999999999999999E+125",
  "2.5","-0.5","100"]'

orders_item() { # customer j
  jq -nc --argjson c "$1" --argjson j "$2" --argjson pool "$sk_pool" '
    def n: tostring;
    ("cust-" + (if $c < 10 then "0" else "" end) + ($c | n)) as $pk
    | $pool[($c * 3 + $j) % ($pool | length)] as $sk
    | ((($c * 7 + $j * 13) % 50) - 10) as $v
    | {
        pk: {S: $pk},
        sk: {N: $sk},
        amount: {N: ("\($v).\($j)5")},
        placedAt: {N: (((1700000000 + ($c * 100 + $j * 7) * 37) | n) + (if $j % 2 == 1 then ".5" else "" end))},
        customer: {M: {name: {S: "Customer \($c)"}, tier: {S: (["gold", "silver", "bronze"][$c % 3])}}},
        lines: {L: [range(0; 1 + ($j % 3)) | {M: {sku: {S: "SKU-\($c)-\($j)-\(.)"}, qty: {N: (. + 1 | n)}, price: {N: "19.99"}}}]},
        tags: {SS: ["order", "c\($c % 4)"]},
        pad: {S: (("order \($pk)/\($sk) line \($j): lorem ipsum dolor sit amet, consectetur adipiscing elit; " * 40)[:2000])}
      }
    + (if $j == 4 and $c % 3 == 0 then {} else {status: {S: (["NEW", "SHIPPED", "DELIVERED", "CANCELLED"][($c + $j) % 4])}} end)'
}

write_orders() {
  local c j batch
  for c in $(seq 1 6); do
    for j in $(seq 0 4); do put Orders "$(orders_item "$c" "$j")"; done
  done
  for c in 7 9 11; do # BatchWriteItem, 10 items a request
    batch=$( { for j in $(seq 0 4); do orders_item "$c" "$j"; orders_item $((c + 1)) "$j"; done; } |
      jq -sc '{RequestItems: {Orders: map({PutRequest: {Item: .}})}}')
    ddb BatchWriteItem "$batch" | jq -e '(.UnprocessedItems // {}) == {}' >/dev/null || die "unprocessed items"
  done

  key() { jq -nc --arg pk "$1" --arg sk "$2" '{pk: {S: $pk}, sk: {N: $sk}}'; }
  sk() { jq -nr --argjson pool "$sk_pool" --argjson c "$1" --argjson j "$2" '$pool[($c * 3 + $j) % ($pool | length)]'; }
  # Changes: index keys move (GSI and LSI), items leave and join the indexes, nested updates, a smaller item.
  update "$(jq -nc --argjson k "$(key cust-01 "$(sk 1 0)")" '{TableName: "Orders", Key: $k,
    UpdateExpression: "SET #st = :s, amount = amount + :k", ExpressionAttributeNames: {"#st": "status"},
    ExpressionAttributeValues: {":s": {S: "SHIPPED"}, ":k": {N: "1000"}}}')"
  update "$(jq -nc --argjson k "$(key cust-02 "$(sk 2 1)")" '{TableName: "Orders", Key: $k,
    UpdateExpression: "REMOVE #st", ExpressionAttributeNames: {"#st": "status"}}')"
  update "$(jq -nc --argjson k "$(key cust-03 "$(sk 3 2)")" '{TableName: "Orders", Key: $k,
    UpdateExpression: "SET note = :n ADD tags :t",
    ExpressionAttributeValues: {":n": {S: "gift wrap"}, ":t": {SS: ["gift"]}}}')"
  update "$(jq -nc --argjson k "$(key cust-04 "$(sk 4 0)")" '{TableName: "Orders", Key: $k,
    UpdateExpression: "SET placedAt = placedAt + :d", ExpressionAttributeValues: {":d": {N: "0.25"}}}')"
  update "$(jq -nc --argjson k "$(key cust-05 "$(sk 5 3)")" '{TableName: "Orders", Key: $k,
    UpdateExpression: "SET #l[0].qty = #l[0].qty + :one", ExpressionAttributeNames: {"#l": "lines"},
    ExpressionAttributeValues: {":one": {N: "1"}}}')"
  update "$(jq -nc --argjson k "$(key cust-06 "$(sk 6 4)")" '{TableName: "Orders", Key: $k,
    UpdateExpression: "SET #st = :s", ConditionExpression: "attribute_not_exists(#st)",
    ExpressionAttributeNames: {"#st": "status"}, ExpressionAttributeValues: {":s": {S: "NEW"}}}')"
  update "$(jq -nc --argjson k "$(key cust-07 "$(sk 7 1)")" '{TableName: "Orders", Key: $k, UpdateExpression: "REMOVE amount"}')"
  update "$(jq -nc --argjson k "$(key cust-08 "$(sk 8 2)")" '{TableName: "Orders", Key: $k,
    UpdateExpression: "SET #p = :p", ExpressionAttributeNames: {"#p": "pad"}, ExpressionAttributeValues: {":p": {S: "short now"}}}')"
  for spec in "cust-01 1 4" "cust-04 4 1" "cust-09 9 0"; do
    set -- $spec
    ddb DeleteItem "$(jq -nc --argjson k "$(key "$1" "$(sk "$2" "$3")")" '{TableName: "Orders", Key: $k}')" >/dev/null
  done
  batch=$(jq -nc --argjson a "$(key cust-09 "$(sk 9 2)")" --argjson b "$(key cust-10 "$(sk 10 3)")" --argjson c "$(key cust-12 "$(sk 12 1)")" \
    '{RequestItems: {Orders: [$a, $b, $c] | map({DeleteRequest: {Key: .}})}}')
  ddb BatchWriteItem "$batch" | jq -e '(.UnprocessedItems // {}) == {}' >/dev/null || die "unprocessed deletes"
}

write_blobs() {
  local keys=(00 0000 ff 01020304 "7fff0080$(printf 'blob-key' | sha256sum | cut -c1-24)") names=("a" "b/c" "file-ß" "z") i=0 k n
  for k in "${keys[@]}"; do
    for n in "${names[@]}"; do
      put Blobs "$(jq -nc --arg bk "$(hex_b64 "$k")" --arg n "$n" --argjson i "$i" --arg data "$(bytes_b64 "data-$i" $((64 * (i % 4 + 1))))" \
        --arg p1 "$(bytes_b64 "part1-$i" 5)" --arg p2 "$(bytes_b64 "part2-$i" 9)" --arg c1 "$(bytes_b64 "chunk-$i" 3)" '
        {bk: {B: $bk}, name: {S: $n}, data: {B: $data}, parts: {BS: [$p1, $p2]}, size: {N: (64 * ($i % 4 + 1) | tostring)},
         meta: {M: {checksum: {S: ($data | .[0:12])}, chunks: {L: [{B: $c1}, {B: ""}]}, empty: {B: ""}}}}')"
      i=$((i + 1))
    done
  done
  update "$(jq -nc --arg bk "$(hex_b64 ff)" --arg d "$(bytes_b64 new-data 300)" --arg p "$(bytes_b64 new-part 4)" '{TableName: "Blobs",
    Key: {bk: {B: $bk}, name: {S: "b/c"}}, UpdateExpression: "SET #d = :d ADD parts :p",
    ExpressionAttributeNames: {"#d": "data"}, ExpressionAttributeValues: {":d": {B: $d}, ":p": {BS: [$p]}}}')"
  update "$(jq -nc --arg bk "$(hex_b64 0000)" '{TableName: "Blobs", Key: {bk: {B: $bk}, name: {S: "z"}},
    UpdateExpression: "REMOVE meta.chunks[0], parts"}')"
  ddb DeleteItem "$(jq -nc --arg bk "$(hex_b64 00)" '{TableName: "Blobs", Key: {bk: {B: $bk}, name: {S: "a"}}}')" >/dev/null
}

# ---------------------------------------------------------------------------------------------------
# What the data looks like: scans sorted by key, queries in the order the server defines.

# jq: items sorted by the attributes named in $names (S by UTF-8 bytes, N numerically, B by bytes).
sort_by_key='
  def b64bytes: [explode[] | select(. != 61)
      | if . >= 97 then . - 71 elif . >= 65 then . - 65 elif . >= 48 then . + 4 elif . == 43 then 62 else 63 end] as $v
    | [range(0; $v | length; 4) as $i | $v[$i:$i + 4] as $q
       | ($q[0] * 262144 + ($q[1] // 0) * 4096 + ($q[2] // 0) * 64 + ($q[3] // 0)) as $x
       | [($x / 65536 | floor), (($x / 256 | floor) % 256), ($x % 256)][0:($q | length) - 1]] | add // [];
  def keyof: [$names[] as $n | .[$n] | if has("S") then .S elif has("N") then (.N | tonumber) else (.B | b64bytes) end];
  if (map(keyof) | unique | length) != length then error("two items with one sort key") else sort_by(keyof) end'

queries='[
  {"Name": "base: one customer", "Request": {"TableName": "Orders", "KeyConditionExpression": "pk = :pk",
    "ExpressionAttributeValues": {":pk": {"S": "cust-03"}}, "ConsistentRead": true}},
  {"Name": "base: sort key range, descending, pages of 2", "Request": {"TableName": "Orders",
    "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi", "ScanIndexForward": false, "Limit": 2,
    "ExpressionAttributeValues": {":pk": {"S": "cust-05"}, ":lo": {"N": "-300"}, ":hi": {"N": "1E+101"}}}},
  {"Name": "base: negative sort keys, projection", "Request": {"TableName": "Orders",
    "KeyConditionExpression": "pk = :pk AND sk < :zero", "ProjectionExpression": "pk, sk, #l[0].sku, customer.tier",
    "ExpressionAttributeNames": {"#l": "lines"},
    "ExpressionAttributeValues": {":pk": {"S": "cust-02"}, ":zero": {"N": "0"}}}},
  {"Name": "base: filter", "Request": {"TableName": "Orders", "KeyConditionExpression": "pk = :pk",
    "FilterExpression": "size(#l) > :one", "ProjectionExpression": "pk, sk, #l", "ExpressionAttributeNames": {"#l": "lines"},
    "ExpressionAttributeValues": {":pk": {"S": "cust-11"}, ":one": {"N": "1"}}}},
  {"Name": "LSI: positive amounts", "Request": {"TableName": "Orders", "IndexName": "byAmount",
    "KeyConditionExpression": "pk = :pk AND amount > :zero", "ConsistentRead": true,
    "ExpressionAttributeValues": {":pk": {"S": "cust-07"}, ":zero": {"N": "0"}}}},
  {"Name": "LSI: all attributes, descending", "Request": {"TableName": "Orders", "IndexName": "byAmount",
    "KeyConditionExpression": "pk = :pk", "Select": "ALL_ATTRIBUTES", "ScanIndexForward": false,
    "ExpressionAttributeValues": {":pk": {"S": "cust-01"}}}},
  {"Name": "GSI: one status", "Request": {"TableName": "Orders", "IndexName": "byStatus",
    "KeyConditionExpression": "#st = :s", "ExpressionAttributeNames": {"#st": "status"},
    "ExpressionAttributeValues": {":s": {"S": "SHIPPED"}}}},
  {"Name": "GSI: range and filter, descending, pages of 3", "Request": {"TableName": "Orders", "IndexName": "byStatus",
    "KeyConditionExpression": "#st = :s AND placedAt BETWEEN :a AND :b", "FilterExpression": "amount > :min",
    "ScanIndexForward": false, "Limit": 3, "ExpressionAttributeNames": {"#st": "status"},
    "ExpressionAttributeValues": {":s": {"S": "NEW"}, ":a": {"N": "1700010000"}, ":b": {"N": "1700050000"}, ":min": {"N": "-5"}}}},
  {"Name": "binary hash key, prefix of the sort key", "Request": {"TableName": "Blobs",
    "KeyConditionExpression": "bk = :bk AND begins_with(#n, :p)", "ExpressionAttributeNames": {"#n": "name"},
    "ExpressionAttributeValues": {":bk": {"B": "/w=="}, ":p": {"S": "b"}}}},
  {"Name": "binary hash key", "Request": {"TableName": "Blobs", "KeyConditionExpression": "bk = :bk",
    "ExpressionAttributeValues": {":bk": {"B": "AAA="}}, "ConsistentRead": true}},
  {"Name": "re-created table", "Request": {"TableName": "Recreated", "KeyConditionExpression": "k = :k",
    "ExpressionAttributeValues": {":k": {"S": "same-1"}}}},
  {"Name": "hash-only table, nested projection", "Request": {"TableName": "Simple", "KeyConditionExpression": "id = :id",
    "ProjectionExpression": "id, #n, profile.address, history[0], newMap.#i, tags", "ExpressionAttributeNames": {"#n": "name", "#i": "inner"},
    "ExpressionAttributeValues": {":id": {"S": "user-07"}}}}
]'

# capture NAME: writes $work/NAME.json with the tables, scans, queries and descriptions the server answers.
capture() {
  local name=$1 tables table description names index scans="$work/$name.scans" described="$work/$name.described"
  rm -rf "$scans" "$described"; mkdir -p "$scans" "$described"
  tables=$(ddb ListTables '{}' | jq -c '.TableNames')
  for table in $(jq -r '.[]' <<<"$tables"); do
    description=$(ddb DescribeTable "$(jq -nc --arg t "$table" '{TableName: $t}')" | jq -c '.Table')
    jq -c '{TableName, TableStatus, TableId, CreationDateTime, ItemCount, KeySchema, AttributeDefinitions,
      BillingMode: (.BillingModeSummary.BillingMode // "PROVISIONED"),
      ProvisionedThroughput: {ReadCapacityUnits: .ProvisionedThroughput.ReadCapacityUnits, WriteCapacityUnits: .ProvisionedThroughput.WriteCapacityUnits}}
      + (if .LocalSecondaryIndexes then {LocalSecondaryIndexes: [.LocalSecondaryIndexes[] | {IndexName, KeySchema, Projection, ItemCount}]} else {} end)
      + (if .GlobalSecondaryIndexes then {GlobalSecondaryIndexes: [.GlobalSecondaryIndexes[] | {IndexName, KeySchema, Projection, IndexStatus, ItemCount}]} else {} end)' \
      <<<"$description" >"$described/$table.json"
    names=$(jq -c '[.KeySchema[] | .AttributeName]' <<<"$description")
    read_all Scan "$(jq -nc --arg t "$table" '{TableName: $t, ConsistentRead: true}')" |
      jq -c --argjson names "$names" "$sort_by_key | {TableName: \$t, Items: .}" --arg t "$table" >"$scans/$table.json"
    # Index scans, sorted by the table's key (an item's identity in an index too).
    for index in $(jq -r '(.LocalSecondaryIndexes // [])[].IndexName' <<<"$description"); do
      read_all Scan "$(jq -nc --arg t "$table" --arg i "$index" '{TableName: $t, IndexName: $i, ConsistentRead: true}')" |
        jq -c --argjson names "$names" "$sort_by_key | {TableName: \$t, IndexName: \$i, Items: .}" --arg t "$table" --arg i "$index" >"$scans/$table.$index.json"
    done
    for index in $(jq -r '(.GlobalSecondaryIndexes // [])[].IndexName' <<<"$description"); do
      read_all Scan "$(jq -nc --arg t "$table" --arg i "$index" '{TableName: $t, IndexName: $i}')" |
        jq -c --argjson names "$names" "$sort_by_key | {TableName: \$t, IndexName: \$i, Items: .}" --arg t "$table" --arg i "$index" >"$scans/$table.$index.json"
    done
  done
  local query_results="$work/$name.queries" count i
  rm -rf "$query_results"; mkdir -p "$query_results"
  count=$(jq 'length' <<<"$queries")
  for i in $(seq 0 $((count - 1))); do
    read_all Query "$(jq -c ".[$i].Request" <<<"$queries")" |
      jq -c --argjson q "$(jq -c ".[$i]" <<<"$queries")" '$q + {Items: .}' >"$query_results/$(printf %03d "$i").json"
  done
  jq -n --argjson tables "$tables" \
    --slurpfile scans <(cat "$scans"/*.json) \
    --slurpfile queries <(cat "$query_results"/*.json) \
    --slurpfile described <(cat "$described"/*.json) \
    '{Tables: $tables, Scans: $scans, Queries: $queries, Describe: ($described | map({(.TableName): .}) | add)}' >"$work/$name.json"
}

# The global index is eventually consistent: wait until it holds exactly the table items with a status.
wait_for_global_index() {
  local want got waited=0
  want=$(read_all Scan '{"TableName":"Orders","ConsistentRead":true}' |
    jq -c '[.[] | select(has("status")) | {pk, sk, status, placedAt}] | sort_by(.pk.S, (.sk.N | tonumber))')
  while :; do
    got=$(read_all Scan '{"TableName":"Orders","IndexName":"byStatus"}' | jq -c '[.[] | {pk, sk, status, placedAt}] | sort_by(.pk.S, (.sk.N | tonumber))')
    [ "$got" = "$want" ] && return
    [ $waited -lt 600 ] || die "the global index byStatus did not converge within 60 s"
    sleep 0.1; waited=$((waited + 1))
  done
}

# populate NAME FLAGS...: one server on fresh storage, all the writes, the capture, a graceful stop.
populate() {
  local name=$1; shift
  echo "== $name: writing"
  start_server "$name" "$@"
  create_tables
  write_recreated_first
  write_simple
  write_blobs
  write_orders
  recreate
  wait_for_global_index
  sleep 2 # splits started by the last writes finish
  capture "$name"
  # Count the splits the server logged ("Table Orders: partition 1 split, 5 is new; 6 partitions, ...").
  local partitions
  partitions=$(grep -oE 'Table Orders: partition [0-9]+ split, [0-9]+ is new; [0-9]+ partitions' "$server_log" | awk '{print $(NF-1)}' | sort -n | tail -n 1)
  [ -n "$partitions" ] && [ "$partitions" -gt 4 ] || { cat "$server_log"; die "$name: Orders did not split into more than 4 partitions (${partitions:-no split logged})"; }
  echo "   Orders split into $partitions partitions"
  jq --argjson p "$partitions" '. + {OrdersPartitions: $p}' "$work/$name.json" >"$work/$name.json.tmp" && mv "$work/$name.json.tmp" "$work/$name.json"
  echo "== $name: stopping (SIGTERM)"
  stop_server
}

# ---------------------------------------------------------------------------------------------------

# Embedded store.
populate embedded --data-dir "$work/embedded/data"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/embedded" -cf - data | gzip -9n >"$work/embedded-v1.tar.gz"

# PostgreSQL: a throwaway server, as tests/Shared/PostgresServer.cs starts one.
pg_dir=$(mktemp -d /tmp/odyn-fixtures-pg.XXXXXX)
chmod 755 "$pg_dir"
[ "$(id -u)" -ne 0 ] || chown postgres "$pg_dir"
as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; die "initdb failed"; }
pg_port=$(free_port)
as_postgres "$pg_bin/pg_ctl" start -w -t 60 -D "$pg_dir/data" -l "$pg_dir/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=200 -c log_min_messages=warning" >/dev/null ||
  { cat "$pg_dir/server.log"; die "PostgreSQL did not start"; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres odyn
populate postgres --cluster postgres --storage postgres --postgres "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=odyn"
"$pg_bin/pg_dump" --no-owner --no-privileges -h 127.0.0.1 -p "$pg_port" -U postgres odyn >"$work/postgres-v1.sql"
echo "   postgres: Orders items stored in $("$pg_bin/psql" -X -At -h 127.0.0.1 -p "$pg_port" -U postgres -d odyn -c \
  "SELECT count(DISTINCT partition_id) FROM odyn_item WHERE table_name = 'Orders' AND incarnation NOT LIKE '%#%'") partitions"
as_postgres "$pg_bin/pg_ctl" stop -m fast -w -D "$pg_dir/data" >/dev/null

# Both stores must have answered the same (everything but table ids and creation times).
for part in Tables Scans Queries; do
  cmp -s <(jq -S ".$part" "$work/embedded.json") <(jq -S ".$part" "$work/postgres.json") ||
    die "the embedded store and PostgreSQL answered $part differently: diff <(jq -S .$part $work/embedded.json) <(jq -S .$part $work/postgres.json)"
done

jq -n --arg commit "$commit" --slurpfile e "$work/embedded.json" --slurpfile p "$work/postgres.json" '{
  Comment: "Written by make-fixtures.sh with the server of Commit: what embedded-v1.tar.gz and postgres-v1.sql hold. Scans (of tables and of indexes) are sorted by the table key, their order is not defined; Queries list the items of all pages in the order the server answered them. Describe differs by store in TableId and CreationDateTime only.",
  Commit: $commit,
  Tables: $e[0].Tables,
  Scans: $e[0].Scans,
  Queries: $e[0].Queries,
  Describe: {embedded: $e[0].Describe, postgres: $p[0].Describe},
  OrdersPartitions: {embedded: $e[0].OrdersPartitions, postgres: $p[0].OrdersPartitions}
}' >"$work/expected.compact.json"

# Laid out for reading and diffs: one item a line.
jq -r '
  def items($pad): if length == 0 then "[]" else "[\n" + (map($pad + "  " + tojson) | join(",\n")) + "\n" + $pad + "]" end;
  def entry: "    {" + ([to_entries[] | select(.key != "Items") | "\(.key | tojson): \(.value | tojson)"] | join(", "))
    + ", \"Items\": " + (.Items | items("    ")) + "}";
  def describe($store): "    \($store | tojson): {\n" + ([.[$store] | to_entries[] | "      \(.key | tojson): \(.value | tojson)"] | join(",\n")) + "\n    }";
  "{",
  "  \"Comment\": \(.Comment | tojson),",
  "  \"Commit\": \(.Commit | tojson),",
  "  \"Tables\": \(.Tables | tojson),",
  "  \"OrdersPartitions\": \(.OrdersPartitions | tojson),",
  "  \"Describe\": {",
  (.Describe | describe("embedded") + ",\n" + describe("postgres")),
  "  },",
  "  \"Scans\": [",
  (.Scans | map(entry) | join(",\n")),
  "  ],",
  "  \"Queries\": [",
  (.Queries | map(entry) | join(",\n")),
  "  ]",
  "}"' "$work/expected.compact.json" >"$work/expected.json"
cmp -s <(jq -S . "$work/expected.json") <(jq -S . "$work/expected.compact.json") || die "expected.json lost something in its layout"

mkdir -p "$out"
cp "$work/embedded-v1.tar.gz" "$work/postgres-v1.sql" "$work/expected.json" "$out/"
echo "== fixtures of $commit in $out:"
ls -l "$out/embedded-v1.tar.gz" "$out/postgres-v1.sql" "$out/expected.json"
