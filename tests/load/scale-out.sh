#!/usr/bin/env bash
# Several instances behind a load balancer, on loopback (issue 11).
#
#   sudo bash tests/load/scale-out.sh        (as root: it installs packages and runs PostgreSQL as 'postgres')
#
# It starts, all on free 127.0.0.1 ports: a throwaway PostgreSQL primary filled by tests/Organizer.DataGenerator; a
# streaming replica made from it with pg_basebackup -R; redis-server without persistence; two API instances (A and B,
# published in Release) on the primary, the replica and Redis; and HAProxy in front of them, configured as the
# compose file's scale profile (round robin, `option httpchk GET /health/ready`, inter 1s fastinter 500ms fall 2
# rise 2, retries 3 with redispatch on connection failure). HAProxy listens on three ports: A alone, A and B, and A
# and B with both instances again as backup servers that are used without a check when neither is ready (the
# "fallback" frontend, an alternative the outage phase compares).
#
# Then, one phase after the other (PHASES), with wrk on 127.0.0.1:
#   1. One instance against two: cached feed GETs (an organization feed of about FEED_EVENTS events, and all.ics) and
#      paced writes (POST /api/events) mixed with reads of a feed those writes change, each WARMUP then DURATION,
#      against A directly, A alone behind HAProxy, and A and B behind HAProxy. Then a write through A, and the same
#      feed from A and from B directly: the same ETag and bytes?
#   2. Rolling restart under the mixed load through HAProxy: SIGTERM A, wait for it to exit, start it again, wait
#      until it is ready and HAProxy has it back, then the same for B. Failed requests over the whole phase (target 0)
#      and how long each drain and restart took.
#   3. Outages, with probe loops (curl, every PROBE_INTERVAL s) against each instance directly and through HAProxy:
#      the primary stopped for OUTAGE s (writes 503 + Retry-After and how fast, cached feeds 200, /health/ready 503,
#      /health/live 200, time to the first 201 after it is back); the replica stopped (anonymous reads go on);
#      Redis stopped (feeds 200, writes 201, the same ETag from both instances). At the end, every 201 any client got
#      in the whole run must be an event in the database.
# It prints one Markdown table (and checks under it), keeps the logs in KEEP_DIR, and stops and deletes everything it
# started (a trap does it on any exit, Ctrl-C included).
#
# Settings (environment): PHASES ("1 2 3"), DURATION (20s), WARMUP (5s), EVENTS (4570), ORGANIZATIONS (1000),
# FEED_EVENTS (100), READERS (32: connections of the cached-feed GETs), ALL_ICS (1: also measure /feeds/all.ics),
# ALL_ICS_READERS (8), WRITERS (2), WRITE_RATE (20: creates/s, all writers together), WRITE_CONNECTIONS (4 per
# writer), MIX_READERS (16: feed readers next to the writers), THREADS (2: wrk -t of the readers), TIMEOUT (10s),
# DRAIN_SECONDS (5: Organizer__Shutdown__DrainSeconds), CHECK_TIMEOUT (unset: HAProxy's `timeout check`; unset, as in
# the compose file, a check may take at most `inter`, 1 s, before it counts as failed), ROLL_LEAD / ROLL_TAIL (5 / 5:
# seconds of load before the first SIGTERM and after the second instance is back), OUTAGE (10: seconds each outage lasts), PROBE_INTERVAL (0.1),
# KEEP_DIR (/tmp/organizer-load-results/scale-out-<time>), QUIET_LOAD / QUIET_WAIT (unset / 600: wait for the
# 1-minute load average to drop below QUIET_LOAD before each measurement).
set -euo pipefail

COMMAND_LINE=""
for setting in PHASES DURATION WARMUP EVENTS ORGANIZATIONS FEED_EVENTS READERS ALL_ICS ALL_ICS_READERS WRITERS WRITE_RATE WRITE_CONNECTIONS MIX_READERS THREADS TIMEOUT CHECK_TIMEOUT DRAIN_SECONDS ROLL_LEAD ROLL_TAIL OUTAGE PROBE_INTERVAL KEEP_DIR QUIET_LOAD QUIET_WAIT; do
    if [[ -n ${!setting+x} ]]; then COMMAND_LINE+="$setting=$(printf %q "${!setting}") "; fi
done
COMMAND_LINE+="bash tests/load/scale-out.sh"

PHASES=${PHASES:-1 2 3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
EVENTS=${EVENTS:-4570}
ORGANIZATIONS=${ORGANIZATIONS:-1000}
FEED_EVENTS=${FEED_EVENTS:-100}
READERS=${READERS:-32}
ALL_ICS=${ALL_ICS:-1}
ALL_ICS_READERS=${ALL_ICS_READERS:-8}
WRITERS=${WRITERS:-2}
WRITE_RATE=${WRITE_RATE:-20}
WRITE_CONNECTIONS=${WRITE_CONNECTIONS:-4}
MIX_READERS=${MIX_READERS:-16}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10s}
DRAIN_SECONDS=${DRAIN_SECONDS:-5}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-}
ROLL_LEAD=${ROLL_LEAD:-5}
ROLL_TAIL=${ROLL_TAIL:-5}
OUTAGE=${OUTAGE:-10}
PROBE_INTERVAL=${PROBE_INTERVAL:-0.1}
STAMP=$(date +%Y%m%d-%H%M%S)
KEEP_DIR=${KEEP_DIR:-/tmp/organizer-load-results/scale-out-$STAMP}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LUA_DIR="$ROOT/tests/load/wrk"
# shellcheck source=tests/load/lib.sh
source "$ROOT/tests/load/lib.sh"

require_root
for d in "$DURATION" "$WARMUP"; do [[ $d =~ ^[0-9]+[smh]?$ ]] || die "DURATION and WARMUP must look like 20s, 2m or 20"; done
[[ $PHASES =~ ^[123\ ]+$ ]] || die "PHASES lists phases 1, 2 and 3, such as \"1 3\""
((WRITERS >= 1 && WRITE_CONNECTIONS >= 1 && READERS >= 1 && MIX_READERS >= 1)) || die "WRITERS, WRITE_CONNECTIONS, READERS and MIX_READERS must be at least 1"
phase_on() { [[ " $PHASES " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------------------------
# Everything this run starts is recorded here and undone on exit, whatever happens.
WORK=""
PG_DATA=""
PG_BIN=""
REPLICA_DATA=""
REDIS_PID=""
LB_PID=""
SAMPLER_PID=""
declare -A APP_PID=()
declare -A APP_PORT=()
BACKGROUND=() # wrk clients and probe loops

cleanup() {
    local status=$?
    set +e
    [[ -n $WORK ]] && touch "$WORK/probes.stop" 2>/dev/null
    for pid in "${BACKGROUND[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${BACKGROUND[@]}"; do wait "$pid" 2>/dev/null; done
    stop_process "$SAMPLER_PID" TERM 2
    for name in "${!APP_PID[@]}"; do stop_process "${APP_PID[$name]}" TERM 20; done
    stop_process "$LB_PID" TERM 10
    stop_process "$REDIS_PID" TERM 10
    stop_cluster "$REPLICA_DATA"
    stop_cluster "$PG_DATA"
    [[ -n $POLICY_RC ]] && rm -f "$POLICY_RC"
    if [[ -n $WORK && -d $WORK ]]; then
        # Keep what explains the figures: the instances' logs, HAProxy's, wrk's output, the probes and samples.
        mkdir -p "$KEEP_DIR"
        cp "$WORK"/*.log "$WORK"/*.txt "$WORK"/*.md "$WORK"/haproxy.cfg "$KEEP_DIR"/ 2>/dev/null
        cp "$WORK/pg/server.log" "$KEEP_DIR/postgres-primary.log" 2>/dev/null
        cp "$WORK/pg/replica.log" "$KEEP_DIR/postgres-replica.log" 2>/dev/null
        rm -f "$KEEP_DIR"/build.log "$KEEP_DIR"/publish.log
        rm -rf "$WORK"
        log "kept the logs, wrk output, probes and samples in $KEEP_DIR"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
log "1/8 tools"
ensure_packages wrk:wrk curl:curl jq:jq /usr/sbin/haproxy:haproxy redis-server:redis-server redis-cli:redis-tools postgresql
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
find_postgres
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"
WORK=$(mktemp -d /tmp/organizer-load.XXXXXX)
chmod 755 "$WORK" # the postgres user must reach its directories inside

log "2/8 building the data generator and publishing the API (Release)"
build_api_and_generator

# ---------------------------------------------------------------------------------------------------------------
log "3/8 PostgreSQL primary, data, streaming replica, Redis"
PG_PORT=$(free_port)
start_throwaway_cluster "$WORK/pg" "$PG_PORT"
PRIMARY="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
sql() { "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
dotnet "$ROOT/tests/Organizer.DataGenerator/bin/Release/net10.0/Organizer.DataGenerator.dll" --connection "$PRIMARY" --events "$EVENTS" --organizations "$ORGANIZATIONS" | sed 's/^/    /' >&2

# initdb's pg_hba.conf already lets 'postgres' make replication connections over 127.0.0.1 (trust, with -A trust),
# and PostgreSQL 15's defaults (wal_level=replica, max_wal_senders=10) allow streaming.
REPLICA_PORT=$(free_port)
runuser -u postgres -- "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$WORK/pg/replica" -R -X stream -c fast >"$WORK/basebackup.log" 2>&1 \
    || { cat "$WORK/basebackup.log" >&2; die "pg_basebackup failed"; }
REPLICA_DATA="$WORK/pg/replica"
start_replica() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -l "$WORK/pg/replica.log" -w -t 30 \
        -o "-p $REPLICA_PORT -k $WORK/pg $PG_THROWAWAY_OPTIONS" start >/dev/null
}
start_primary() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/server.log" -w -t 30 \
        -o "-p $PG_PORT -k $WORK/pg $PG_THROWAWAY_OPTIONS" start >/dev/null
}
start_replica
REPLICA="Host=127.0.0.1;Port=$REPLICA_PORT;Username=postgres;Database=postgres"
[[ $("$PSQL" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -X -At -c 'select pg_is_in_recovery()') == t ]] || die "the replica is not in recovery"

REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK/redis" --daemonize no >>"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 1 50); do
        [[ $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] && return 0
        sleep 0.1
    done
    die "redis-server did not answer"
}
start_redis

# ---------------------------------------------------------------------------------------------------------------
log "4/8 API instances A and B, HAProxy"
ADMIN_TOKEN="admin.load-$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
APP_PORT[a]=$(free_port)
APP_PORT[b]=$(free_port)
# start_instance a|b: the published API with the primary, the replica, Redis and the admin token; its log is
# appended to, so a restarted instance's lines follow its earlier ones.
start_instance() {
    local name=$1
    (
        cd "$WORK/api"
        # Application Name tells the instances' connections apart in pg_stat_activity. Pools are capped as in the
        # compose file (2 × 40 < max_connections 100). The write limit (60 a minute per token) would answer most
        # of the paced writes with 429: raise it. X-Forwarded-For is believed from HAProxy (127.0.0.1) only.
        exec env ASPNETCORE_URLS="http://127.0.0.1:${APP_PORT[$name]}" \
            ConnectionStrings__Organizer="$PRIMARY;Maximum Pool Size=40;Application Name=organizer-$name" \
            ConnectionStrings__OrganizerReplica="$REPLICA;Maximum Pool Size=40;Application Name=organizer-$name" \
            ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT" \
            Organizer__AdminToken="$ADMIN_TOKEN" \
            Organizer__Proxies__KnownNetworks=127.0.0.1/32 \
            Organizer__Shutdown__DrainSeconds="$DRAIN_SECONDS" \
            Organizer__RateLimits__WritesPerMinute=1000000 \
            Organizer__Database__SeedOnStartup=false \
            Logging__LogLevel__Default=Warning \
            Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
            Logging__LogLevel__Organizer.Api.Http.Draining=Information \
            Logging__Console__TimestampFormat="HH:mm:ss.fff " \
            dotnet Organizer.Api.dll
    ) >>"$WORK/api-$name.log" 2>&1 &
    APP_PID[$name]=$!
}
start_instance a
start_instance b
# instances_alive: stops the run when an instance exited outside phase 2's restarts. On a shared machine that has
# been someone else's signal (both instances logged "Application is shutting down" at the same millisecond, in the
# middle of phase 1): the figures after it would measure HAProxy with no server.
instances_alive() {
    local name
    for name in a b; do
        kill -0 "${APP_PID[$name]}" 2>/dev/null && continue
        grep -B1 -A1 'shutting down\|Stopping: draining' "$WORK/api-$name.log" | tail -n 4 >&2
        die "instance ${name^^} is gone (see its log above): told to stop by another process, or crashed; the run is void"
    done
}
A="http://127.0.0.1:${APP_PORT[a]}"
B="http://127.0.0.1:${APP_PORT[b]}"
wait_for_200 "$A/health/ready" "${APP_PID[a]}" "instance A" 120
wait_for_200 "$B/health/ready" "${APP_PID[b]}" "instance B" 120

LB_ONE_PORT=$(free_port)
LB_TWO_PORT=$(free_port)
LB_FALLBACK_PORT=$(free_port)
LB_STATS_PORT=$(free_port)
# The compose file's HAProxy, with addresses instead of Docker's DNS, three frontends and a stats page to read its
# view of the instances from. No access log, as there (a private feed's secret is in its URL); servers going down and
# up are reported on stderr, kept in haproxy.log.
cat >"$WORK/haproxy.cfg" <<EOF
global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 10s
  retries 3
  option redispatch 1
  option forwardfor
  option httpchk
  http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host localhost
  http-check expect status 200
  default-server check inter 1s fastinter 500ms downinter 2s fall 2 rise 2
$([[ -n $CHECK_TIMEOUT ]] && echo "  timeout check $CHECK_TIMEOUT")

frontend one
  bind 127.0.0.1:$LB_ONE_PORT
  default_backend one

frontend two
  bind 127.0.0.1:$LB_TWO_PORT
  default_backend two

frontend fallback
  bind 127.0.0.1:$LB_FALLBACK_PORT
  default_backend fallback

backend one
  balance roundrobin
  server a 127.0.0.1:${APP_PORT[a]}

backend two
  balance roundrobin
  server a 127.0.0.1:${APP_PORT[a]}
  server b 127.0.0.1:${APP_PORT[b]}

# As "two", plus both instances again as backup servers without a check: HAProxy sends to them only when no regular
# server is up, as when /health/ready answers 503 on both because the database is down. The instances then answer
# for themselves: kept feeds 200, writes 503 with Retry-After.
backend fallback
  balance roundrobin
  option allbackups
  server a 127.0.0.1:${APP_PORT[a]}
  server b 127.0.0.1:${APP_PORT[b]}
  server a-any 127.0.0.1:${APP_PORT[a]} backup no-check
  server b-any 127.0.0.1:${APP_PORT[b]} backup no-check

listen stats
  bind 127.0.0.1:$LB_STATS_PORT
  stats enable
  stats uri /
EOF
"$HAPROXY" -c -q -f "$WORK/haproxy.cfg" || die "HAProxy rejects its configuration"
"$HAPROXY" -W -db -f "$WORK/haproxy.cfg" >>"$WORK/haproxy.log" 2>&1 &
LB_PID=$!
ONE="http://127.0.0.1:$LB_ONE_PORT"
TWO="http://127.0.0.1:$LB_TWO_PORT"
FALLBACK="http://127.0.0.1:$LB_FALLBACK_PORT"
STATS="http://127.0.0.1:$LB_STATS_PORT/;csv"

# lb_field <backend> <server> <column>: a column of HAProxy's CSV statistics (status, econ, wretr, wredis, hrsp_5xx …).
lb_field() {
    curl -sf -m 5 "$STATS" | awk -F, -v px="$1" -v sv="$2" -v col="$3" '
        NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) name[$i] = i; next }
        $1 == px && $2 == sv { print $(name[col]) }'
}
# wait_in_rotation <backend> <server> [seconds]: until HAProxy's checks have the server UP.
wait_in_rotation() {
    local limit=${3:-60}
    for _ in $(seq 1 $((limit * 10))); do
        [[ $(lb_field "$1" "$2" status) == UP ]] && return 0
        sleep 0.1
    done
    die "HAProxy did not put $1/$2 in rotation within $limit s"
}
for server in one/a two/a two/b fallback/a fallback/b; do wait_in_rotation "${server%/*}" "${server#*/}" 30; done

# ---------------------------------------------------------------------------------------------------------------
log "5/8 organizations, tokens, feeds"
# Organizations whose feed (public, not pending events, as feeds count them) is closest to FEED_EVENTS events: the
# first is read in phase 1 and probed in phase 3; the next three are written to and read in the mixed loads of
# phase 1 (one each, so that each mixed load starts from a feed of the same size); the fifth in phase 2; the sixth
# takes the probes' writes in phase 3.
mapfile -t ORG_ROWS < <(sql "
    SELECT o.slug || ' ' || count(*)
    FROM organizations o
    JOIN event_participations p ON p.organization_id = o.id
    JOIN events e ON e.id = p.event_id AND e.visibility = 'Public' AND e.status <> 'Pending'
    GROUP BY o.slug
    ORDER BY abs(count(*) - $FEED_EVENTS), o.slug
    LIMIT 6")
((${#ORG_ROWS[@]} == 6)) || die "fewer than 6 organizations with events"
ORG=()
ORG_COUNT=()
for row in "${ORG_ROWS[@]}"; do ORG+=("${row% *}"); ORG_COUNT+=("${row#* }"); done
feed_path() { echo "/feeds/organizations/$1.ics"; }
FEED_PATH=$(feed_path "${ORG[0]}")

issue_token() {
    local token
    token=$(curl -sf -m 30 -X POST "$A/api/organizations/$1/tokens" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d '{"label":"scale-out load test"}' | jq -r .token) || die "issuing a token for $1 failed"
    [[ -n $token && $token != null ]] || die "no token in the answer for $1"
    echo "$token"
}
# WRITERS tokens for each written organization (indexes 0-5), one per wrk writer thread.
declare -A TOKENS=()
for i in 0 1 2 3 4 5; do
    list=""
    for _ in $(seq 1 "$WRITERS"); do list+="$(issue_token "${ORG[$i]}") "; done
    TOKENS[$i]=${list% }
done
token_of() { local list=${TOKENS[$1]}; echo "${list%% *}"; }
PLACES=$(sql "SELECT p.slug FROM places p WHERE EXISTS (SELECT 1 FROM events e WHERE e.place_id = p.id AND e.visibility = 'Public' AND e.status <> 'Pending') ORDER BY p.slug LIMIT 20" | tr '\n' ' ')
FIRST_PLACE=${PLACES%% *}
RUN_ID="r$STAMP"

# event_body <title>: a timed public event in 2027, as write-events.lua sends.
event_body() {
    printf '{"title":"%s","kind":"rally","allDay":false,"start":"2027-03-01T18:00:00","end":"2027-03-01T19:00:00","timeZone":"America/Toronto","place":"%s","tags":["load-test"]}' "$1" "$FIRST_PLACE"
}
# Every Location the API answered a 201 with, whoever sent it: all of them must be events at the end.
touch "$WORK/locations.txt"
# write_once <base url> <org index> <title>: POST one event; prints the status; records the Location of a 201.
write_once() {
    local out code location
    out=$(curl -s -m 30 -o /dev/null -w '%{http_code} %header{location}' -X POST "$1/api/events" \
        -H "Authorization: Bearer $(token_of "$2")" -H 'Content-Type: application/json' -d "$(event_body "$3")" || true)
    code=${out%% *}
    location=${out#* }
    [[ $code == 201 && -n $location ]] && echo "$location" >>"$WORK/locations.txt"
    echo "$code"
}
code=$(write_once "$A" 5 "Load test $RUN_ID check")
[[ $code == 201 ]] || die "a test write through A answered $code, not 201"

# etag <url>: GET it into $WORK/etag-body; prints "<status> <ETag>". Feeds hold absolute links built from the
# request's Host, so it sends the Host a client of HAProxy sends (HAProxy passes it on): what the instances see
# behind it, rather than each instance's own address.
etag() {
    curl -s -m 30 -H "Host: 127.0.0.1:$LB_TWO_PORT" -o "$WORK/etag-body" -D "$WORK/etag-headers" -w '%{http_code}' "$1" | tr -d '\n'
    printf ' %s\n' "$(awk 'tolower($1) == "etag:" { sub(/\r$/, ""); print $2 }' "$WORK/etag-headers")"
}
# same_etag <org index> <label>: a write through A to that organization, then its feed from B and from A directly
# (with the Host header HAProxy would pass on).
# Prints "yes: <ETag>" when both answer 200 with the same ETag and bytes, both include the new event, and the ETag
# differs from before the write; otherwise what differed.
same_etag() {
    local path title before after_b after_a
    path=$(feed_path "${ORG[$1]}")
    title="Load test $RUN_ID etag $2"
    before=$(etag "$B$path")
    code=$(write_once "$A" "$1" "$title")
    [[ $code == 201 ]] || { echo "**no: the write through A answered $code**"; return; }
    after_b=$(etag "$B$path")
    cp "$WORK/etag-body" "$WORK/etag-body-b"
    local b_has a_has
    b_has=$(grep -c "SUMMARY:$title" "$WORK/etag-body-b" || true)
    after_a=$(etag "$A$path")
    a_has=$(grep -c "SUMMARY:$title" "$WORK/etag-body" || true)
    # Kept for a look when they differ.
    cp "$WORK/etag-body" "$WORK/etag-$2-a.ics.txt"
    cp "$WORK/etag-body-b" "$WORK/etag-$2-b.ics.txt"
    if [[ ${after_a%% *} != 200 || ${after_b%% *} != 200 ]]; then
        echo "**no: A answered ${after_a%% *}, B ${after_b%% *}**"
    elif [[ ${after_a#* } != "${after_b#* }" ]] || ! cmp -s "$WORK/etag-body" "$WORK/etag-body-b"; then
        echo "**no: A ${after_a#* }, B ${after_b#* }$(cmp -s "$WORK/etag-body" "$WORK/etag-body-b" || echo ', bytes differ')**"
    elif ((a_has == 0 || b_has == 0)); then
        echo "**no: the new event is missing (A $a_has, B $b_has)**"
    elif [[ ${before#* } == "${after_b#* }" ]]; then
        echo "**no: B's ETag did not change after the write (${before#* })**"
    else
        echo "yes: ${after_b#* } from both (B's was ${before#* } before the write)"
    fi
}

# Warm both instances and HAProxy up: the feeds are rendered and kept, each instance's code paths are jitted.
for base in "$A" "$B"; do
    for i in 0 1 2 3 4; do curl -sf -m 60 -o /dev/null "$base$(feed_path "${ORG[$i]}")" || die "GET $(feed_path "${ORG[$i]}") failed on $base"; done
    curl -sf -m 60 -o /dev/null "$base/feeds/all.ics" || die "GET /feeds/all.ics failed on $base"
    curl -sf -m 60 -o /dev/null "$base/api/events" || die "GET /api/events failed on $base"
done
curl -sf -m 30 -o "$WORK/feed.ics" "$A$FEED_PATH"
FEED_BYTES=$(stat -c %s "$WORK/feed.ics")
curl -sf -m 60 -o "$WORK/all.ics" "$A/feeds/all.ics"
ALL_BYTES=$(stat -c %s "$WORK/all.ics")
ALL_COUNT=$(grep -c '^BEGIN:VEVENT' "$WORK/all.ics" || true)
log "    feed $FEED_PATH: ${ORG_COUNT[0]} events, $FEED_BYTES bytes; all.ics: $ALL_COUNT events, $ALL_BYTES bytes"

# ---------------------------------------------------------------------------------------------------------------
# Results: one row per measured client in rows.tsv, turned into the table at the end.
#   phase \t what \t through \t requests \t req/s \t p50 \t p99 \t max \t failed \t load \t notes
ROWS="$WORK/rows.tsv"
: >"$ROWS"
CHECKS="$WORK/checks.md"
: >"$CHECKS"
row() { local IFS=$'\t'; echo "$*" >>"$ROWS"; }
check() { echo "| $1 | $2 | $3 |" >>"$CHECKS"; }
ms() { awk -v v="$1" 'BEGIN { if (v == "" || v == "-") print "–"; else printf (v >= 100 ? "%.0f ms" : "%.1f ms"), v }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# RESULT <requests> <seconds> <errors> <status errors> <socket errors> <p50> <p99> <max> <mean> <bytes> (summary.lua)
read_result() {
    grep -q '^RESULT ' "$1" || { cat "$1" >&2; die "wrk printed no result in $1"; }
    awk '$1 == "RESULT" { print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$1"
}
failed_text() { if (($1 == 0)); then echo 0; else echo "**$1** ($2 HTTP ≥ 400, $3 socket)"; fi; }
# wrk_row <phase> <what> <through> <wrk output> [notes]
wrk_row() {
    instances_alive
    local req sec err status_err sock_err p50 p99 max mean bytes
    read -r req sec err status_err sock_err p50 p99 max mean bytes <<<"$(read_result "$4")"
    row "$1" "$2" "$3" "$req" "$(rate "$req" "$sec")" "$(ms "$p50")" "$(ms "$p99")" "$(ms "$max")" \
        "$(failed_text "$err" "$status_err" "$sock_err")" "$PHASE_LOAD" "${5:-}"
}
statuses_of() { awk '$1 == "STATUSES" { $1 = ""; sub(/^ /, ""); print }' "$1"; }

# log_lines_since_last <variable>: the fail:/warn: lines each instance logged since the last call (its log is appended
# to across restarts), with their categories, into <variable>: "A 3 fail (3 Microsoft.EntityFrameworkCore.Database.
# Transaction[20205]), 0 warn; B …". Not through $(…): the count of lines seen must outlive the call.
declare -A LOG_SEEN=([a]=0 [b]=0)
log_lines_since_last() {
    local name counts="" total
    for name in a b; do
        total=$(wc -l <"$WORK/api-$name.log")
        counts+="${name^^} $(tail -n +"$((LOG_SEEN[$name] + 1))" "$WORK/api-$name.log" | head -n "$((total - LOG_SEEN[$name]))" | awk '
            $2 == "fail:" || $2 == "warn:" { n[$2]++; c[$2 " " $3]++ }
            END {
                out = ""
                split("fail: warn:", levels, " ")
                for (i = 1; i <= 2; i++) {
                    l = levels[i]; detail = ""
                    for (k in c) if (index(k, l " ") == 1) detail = detail (detail == "" ? "" : ", ") c[k] " " substr(k, length(l) + 2)
                    out = out (i > 1 ? ", " : "") (n[l] + 0) " " substr(l, 1, 4) (detail == "" ? "" : " (" detail ")")
                }
                print out
            }'); "
        LOG_SEEN[$name]=$total
    done
    printf -v "$1" '%s' "${counts%; }"
}
log_lines_since_last LOG_SUMMARY
check "Start-up of A and B (a fresh database, migrated by the data generator): fail:/warn: lines" "0" "$LOG_SUMMARY"

# Once a second while the load runs: replication lag (replay_lag and bytes not yet replayed) and each instance's
# connections to the primary and to the replica (open, and active at that instant), labelled with the current load.
# label_samples <label>: what the sampler writes at the start of its lines from now on (renamed into place, so that
# it never reads a half-written label).
label_samples() { echo "$1" >"$WORK/sampler.label.new" && mv -f "$WORK/sampler.label.new" "$WORK/sampler.label"; }
label_samples "setup"
start_sampler() {
    (
        while [[ ! -e $WORK/sampler.stop ]]; do
            read -r label <"$WORK/sampler.label" || label=unknown
            primary=$(sql "SELECT coalesce((SELECT round(max(extract(epoch FROM replay_lag)) * 1000) FROM pg_stat_replication), 0),
                                  coalesce((SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) FROM pg_stat_replication), 0),
                                  count(*) FILTER (WHERE application_name = 'organizer-a'),
                                  count(*) FILTER (WHERE application_name = 'organizer-a' AND state = 'active'),
                                  count(*) FILTER (WHERE application_name = 'organizer-b'),
                                  count(*) FILTER (WHERE application_name = 'organizer-b' AND state = 'active')
                           FROM pg_stat_activity" 2>/dev/null | tr '|' ' ')
            replica=$("$PSQL" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -X -q -At -c "
                           SELECT count(*) FILTER (WHERE application_name = 'organizer-a'), count(*) FILTER (WHERE application_name = 'organizer-b')
                           FROM pg_stat_activity" 2>/dev/null | tr '|' ' ')
            [[ -n $primary && -n $replica ]] && echo "$label $primary $replica"
            sleep 1
        done
    ) >>"$WORK/samples.txt" &
    SAMPLER_PID=$!
}
# sample_note <label>: the sampler's maxima for one load, for the notes column.
sample_note() {
    awk -v l="$1" '$1 == l {
            if ($2 > lag) lag = $2; if ($3 > bytes) bytes = $3
            if ($4 > ca) ca = $4; if ($5 > aa) aa = $5; if ($6 > cb) cb = $6; if ($7 > ab) ab = $7
            if ($8 > ra) ra = $8; if ($9 > rb) rb = $9; n++ }
        END { if (n) printf "replica lag max %d ms / %d bytes; connections max: primary A %d (%d active), B %d (%d active); replica A %d, B %d",
                             lag, bytes, ca, aa, cb, ab, ra, rb }' "$WORK/samples.txt"
}
start_sampler

WRK_LIMIT=$(($(seconds_of "$DURATION") + $(seconds_of "$TIMEOUT") + 60))
export LUA_DIR RUN_ID PLACES WRITE_RATE
export WRITE_THREADS=$WRITERS

# reads <name> <url> <connections> <duration>: a closed loop of plain GETs (wrk/read.lua) into wrk-<name>.txt.
reads() {
    timeout "$WRK_LIMIT" wrk -t"$THREADS" -c"$3" -d"$4" --timeout "$TIMEOUT" -s "$LUA_DIR/read.lua" "$2" >"$WORK/wrk-$1.txt" 2>&1 \
        || { cat "$WORK/wrk-$1.txt" >&2; die "wrk ($1) failed"; }
}
# mixed <name> <base url> <org index> <duration>: paced writers hosted by that organization and MIX_READERS readers of
# its feed, at once; each write changes the feed being read, on every instance.
mixed() {
    local pids=()
    WRITE_TOKENS=${TOKENS[$3]} WRITE_LOCATIONS="$WORK/locations-$1.txt" \
        timeout "$WRK_LIMIT" wrk -t"$WRITERS" -c$((WRITERS * WRITE_CONNECTIONS)) -d"$4" --timeout "$TIMEOUT" \
        -s "$LUA_DIR/write-events.lua" "$2" >"$WORK/wrk-$1-writes.txt" 2>&1 &
    pids+=($!)
    timeout "$WRK_LIMIT" wrk -t"$THREADS" -c"$MIX_READERS" -d"$4" --timeout "$TIMEOUT" -s "$LUA_DIR/read.lua" \
        "$2$(feed_path "${ORG[$3]}")" >"$WORK/wrk-$1-reads.txt" 2>&1 &
    pids+=($!)
    local failed=""
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    [[ -z $failed ]] || { cat "$WORK/wrk-$1-writes.txt" "$WORK/wrk-$1-reads.txt" >&2; die "wrk ($1) failed"; }
    [[ -f $WORK/locations-$1.txt ]] && cat "$WORK/locations-$1.txt" >>"$WORK/locations.txt"
    return 0
}
feed_events() { curl -sf -m 60 "$1" | grep -c '^BEGIN:VEVENT' || true; }
# scrape <label>: both instances' /metrics (Prometheus text, admin token) into metrics-<a|b>-<label>.txt, for Npgsql's
# pool figures before and after a load.
scrape() {
    local name
    for name in a b; do
        curl -s -m 10 -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:${APP_PORT[$name]}/metrics" >"$WORK/metrics-$name-$1.txt" || true
    done
}
# instance_rows <label> <through>: per instance, what its /metrics counted between scrape before-<label> and
# after-<label>: feed renders and kept-feed hits (meter Organizer.Feeds), database operations on the primary and on the
# replica (Npgsql's db.client.operation.duration, by server port), connections Npgsql opened; with the most
# connections the sampler saw open to the primary. One line each in instances.tsv.
INSTANCES="$WORK/instances.tsv"
: >"$INSTANCES"
instance_rows() {
    local name column
    for name in a b; do
        [[ $name == a ]] && column=4 || column=6
        printf '%s\t%s\t%s\t%s\n' "$2" "${name^^}" "$(awk -v primary="$PG_PORT" -v replica="$REPLICA_PORT" '
            FNR == 1 { file++ }
            /^#/ { next }
            {
                # Label values hold spaces (the pool names of Npgsql are connection strings): the name is up to "{", the
                # value is the last field.
                metric = $0; sub(/[{ ].*/, "", metric); v = $NF + 0; sign = (file == 1 ? -1 : 1)
                if (metric == "organizer_feed_renders_total") renders += sign * v
                else if (metric == "organizer_feed_cache_hits_total") hits += sign * v
                else if (metric == "db_client_connection_npgsql_create_time_seconds_count") opened += sign * v
                else if (metric == "db_client_operation_duration_seconds_count") {
                    if (index($0, "server_port=\"" primary "\"")) on_primary += sign * v
                    else if (index($0, "server_port=\"" replica "\"")) on_replica += sign * v
                }
            }
            END { printf "%d\t%d\t%d\t%d\t%d", renders, hits, on_primary, on_replica, opened }' \
            "$WORK/metrics-$name-before-$1.txt" "$WORK/metrics-$name-after-$1.txt" 2>/dev/null)" \
            "$(awk -v l="$1" -v c="$column" '$1 == l && $c > max { max = $c } END { print max + 0 }' "$WORK/samples.txt")" >>"$INSTANCES"
    done
}

# probe <name> <GET|POST> <url>: one request after the other until probes.stop exists, each as a line
#   <start epoch> <status> <seconds> ra=<Retry-After> loc=<Location> age=<Age>
# (a feed served from the instance's kept copy has an Age header; a render has none)
# POSTs create events hosted by the sixth organization (whose feed nobody reads), with unique titles.
probe() {
    local name=$1 method=$2 url=$3 n=0 start out
    local args=(-s -o /dev/null -m 10 -w '%{http_code} %{time_total} ra=%header{retry-after} loc=%header{location} age=%header{age}')
    while [[ ! -e $WORK/probes.stop ]]; do
        n=$((n + 1))
        start=$EPOCHREALTIME
        if [[ $method == POST ]]; then
            out=$(curl "${args[@]}" -X POST -H "Authorization: Bearer $PROBE_TOKEN" -H 'Content-Type: application/json' \
                -d "$(event_body "Load test $RUN_ID probe $name $n")" "$url" || true)
        else
            out=$(curl "${args[@]}" "$url" || true)
        fi
        echo "$start $out"
        sleep "$PROBE_INTERVAL"
    done >>"$WORK/probe-$PROBE_SET-$name.txt"
}
# start_probes <set> <name>=<METHOD>:<url> …
start_probes() {
    PROBE_SET=$1
    shift
    rm -f "$WORK/probes.stop"
    for spec in "$@"; do
        local name=${spec%%=*} rest=${spec#*=}
        probe "$name" "${rest%%:*}" "${rest#*:}" &
        BACKGROUND+=($!)
    done
}
stop_probes() {
    instances_alive
    touch "$WORK/probes.stop"
    for pid in "${BACKGROUND[@]}"; do wait "$pid" || true; done
    BACKGROUND=()
    cat "$WORK"/probe-"$PROBE_SET"-*.txt | awk '$2 == 201 { for (i = 4; i <= NF; i++) if ($i ~ /^loc=./) { sub(/^loc=/, "", $i); print $i } }' >>"$WORK/locations.txt"
}
# probe_stats <file> <from> <to> [ok status]: over the requests answered after <from> and started before <to>
# (those in flight when the outage began count as the outage's): count, statuses, p50, p99
# and max of the time to answer (ms), and how many answered something other than <ok status> (a list, such as
# 200,201; 000 is curl's: no answer within 10 s, or no connection).
probe_stats() {
    local window counts times
    window=$(awk -v from="$2" -v to="$3" '$1 + $3 >= from && $1 < to' "$1")
    [[ -n $window ]] || { printf '0\t–\t–\t–\t–\t0\n'; return; }
    counts=$(awk -v ok="${4:-}" '
        { n++; s[$2]++; if (ok != "" && index("," ok ",", "," $2 ",") == 0) bad++
          if ($2 == 503) { s503++; if ($4 != "ra=") ra++ }
          if ($2 == 200 && $6 != "age=") kept++ }
        END {
            list = ""; for (c in s) list = list (list == "" ? "" : " ") c ":" s[c]
            if (s503) list = list sprintf(" (%d of the 503s with Retry-After)", ra)
            if (kept) list = list sprintf(" (%d of the 200s from a kept copy, with Age)", kept)
            printf "%d\t%s\t%d\n", n, list, bad
        }' <<<"$window")
    times=$(awk '{ printf "%.1f\n", $3 * 1000 }' <<<"$window" | sort -n | awk '
        { t[NR] = $1 } END { printf "%.1f\t%.1f\t%.1f\n", t[int(0.50 * (NR - 1)) + 1], t[int(0.99 * (NR - 1)) + 1], t[NR] }')
    local n list bad p50 p99 max
    IFS=$'\t' read -r n list bad <<<"$counts"
    IFS=$'\t' read -r p50 p99 max <<<"$times"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$list" "$p50" "$p99" "$max" "$bad"
}
# failed_between <file> <from> <to> <ok status>: requests started after <from> and answered before <to> whose
# status was not <ok status>.
failed_between() {
    awk -v from="$2" -v to="$3" -v ok="$4" '$1 >= from && $1 + $3 < to && $2 != ok { n++ } END { print n + 0 }' "$1"
}
# first_after <file> <time> <status>: seconds from <time> until the first answer with <status> to a request
# started after it had arrived, or "never".
first_after() {
    awk -v from="$2" -v want="$3" '$1 >= from && $2 == want { printf "%.2f s", $1 + $3 - from; found = 1; exit }
        END { if (!found) print "never" }' "$1"
}
# probe_row <phase> <what> <through> <file> <from> <to> <ok statuses> [notes]
probe_row() {
    local n statuses p50 p99 max bad
    IFS=$'\t' read -r n statuses p50 p99 max bad <<<"$(probe_stats "$4" "$5" "$6" "$7")"
    local failed
    failed=$([[ $bad == 0 ]] && echo 0 || echo "**$bad** (not ${7//,/ or })")
    row "$1" "$2" "$3" "$n" "–" "$(ms "$p50")" "$(ms "$p99")" "$(ms "$max")" "$failed" "$PHASE_LOAD" "statuses $statuses${8:+; $8}"
}
PROBE_TOKEN=$(token_of 5)

# ---------------------------------------------------------------------------------------------------------------
if phase_on 1; then
    log "6/8 phase 1: one instance against two (WARMUP $WARMUP, then $DURATION each)"
    TARGETS=("A directly|$A" "HAProxy, A alone|$ONE" "HAProxy, A + B|$TWO")
    # Reads first, all three targets, so that all.ics has the same size in each (the mixed loads add events to it).
    for target in "${TARGETS[@]}"; do
        through=${target%%|*}
        base=${target#*|}
        key=$(echo "$through" | tr -cd 'A-Za-z' | tr 'A-Z' 'a-z')
        wait_quiet
        reads warm "$base$FEED_PATH" "$READERS" "$WARMUP"
        PHASE_LOAD=$(load_average)
        label_samples "feed-$key"
        reads "feed-$key" "$base$FEED_PATH" "$READERS" "$DURATION"
        wrk_row 1 "GET organization feed (${ORG_COUNT[0]} events, $FEED_BYTES B), $READERS conn." "$through" "$WORK/wrk-feed-$key.txt"
        if [[ $ALL_ICS == 1 ]]; then
            wait_quiet
            reads warm "$base/feeds/all.ics" "$ALL_ICS_READERS" "$WARMUP"
            PHASE_LOAD=$(load_average)
            label_samples "all-$key"
            reads "all-$key" "$base/feeds/all.ics" "$ALL_ICS_READERS" "$DURATION"
            wrk_row 1 "GET /feeds/all.ics ($ALL_COUNT events, $((ALL_BYTES / 1000)) kB), $ALL_ICS_READERS conn." "$through" "$WORK/wrk-all-$key.txt"
        fi
    done
    log_lines_since_last PHASE1_READS_LOG
    log "    reads done: $PHASE1_READS_LOG"
    i=1
    for target in "${TARGETS[@]}"; do
        through=${target%%|*}
        base=${target#*|}
        key=$(echo "$through" | tr -cd 'A-Za-z' | tr 'A-Z' 'a-z')
        path=$(feed_path "${ORG[$i]}")
        wait_quiet
        before=$(feed_events "$A$path")
        label_samples "mixed-warm-$key"
        mixed "warm-$key" "$base" "$i" "$WARMUP"
        PHASE_LOAD=$(load_average)
        label_samples "mixed-$key"
        scrape "before-mixed-$key"
        mixed "mixed-$key" "$base" "$i" "$DURATION"
        scrape "after-mixed-$key"
        label_samples "idle"
        sleep 1
        after=$(feed_events "$B$path")
        instance_rows "mixed-$key" "$through"
        wrk_row 1 "POST /api/events, paced $WRITE_RATE/s, $((WRITERS * WRITE_CONNECTIONS)) conn." "$through" "$WORK/wrk-mixed-$key-writes.txt" \
            "statuses $(statuses_of "$WORK/wrk-mixed-$key-writes.txt"); $(sample_note "mixed-$key")"
        wrk_row 1 "… with GET of the feed they change ($before → $after events), $MIX_READERS conn." "$through" "$WORK/wrk-mixed-$key-reads.txt"
        i=$((i + 1))
    done
    log_lines_since_last PHASE1_LOG
    log "    mixed done: $PHASE1_LOG"
    check "Phase 1: the same feed from A and B directly after a write through A (ETag, bytes, the new event in both)" \
        "same" "$(same_etag 0 phase1)"
    check "Phase 1: fail:/warn: lines in the instances' logs" "0" "reads: $PHASE1_READS_LOG; mixed loads: $PHASE1_LOG"
fi

# ---------------------------------------------------------------------------------------------------------------
if phase_on 2; then
    log "7/8 phase 2: rolling restart of A then B under the mixed load through HAProxy"
    ROLL_PATH=$(feed_path "${ORG[4]}")
    wait_quiet
    PHASE_LOAD=$(load_average)
    label_samples "rolling"
    for server in two/a two/b; do wait_in_rotation "${server%/*}" "${server#*/}" 30; done
    read -r RETR_BEFORE REDIS_BEFORE ECON_BEFORE FIVE_BEFORE <<<"$(lb_field two BACKEND wretr) $(lb_field two BACKEND wredis) $(lb_field two BACKEND econ) $(lb_field two BACKEND hrsp_5xx)"
    # Probes through HAProxy next to wrk, one request at a time, to see when slow answers come; the restarts' steps go
    # into rolling-events.txt.
    start_probes rolling "write-lb=POST:$TWO/api/events" "feed-lb=GET:$TWO$ROLL_PATH"
    step() { echo "$EPOCHREALTIME $1" >>"$WORK/rolling-events.txt"; }
    # Long enough for both restarts; stopped with SIGINT (wrk then prints its results) once both instances are back.
    pids=()
    WRITE_TOKENS=${TOKENS[4]} WRITE_LOCATIONS="$WORK/locations-rolling.txt" \
        wrk -t"$WRITERS" -c$((WRITERS * WRITE_CONNECTIONS)) -d600s --timeout "$TIMEOUT" \
        -s "$LUA_DIR/write-events.lua" "$TWO" >"$WORK/wrk-rolling-writes.txt" 2>&1 &
    pids+=($!)
    wrk -t"$THREADS" -c"$MIX_READERS" -d600s --timeout "$TIMEOUT" -s "$LUA_DIR/read.lua" "$TWO$ROLL_PATH" >"$WORK/wrk-rolling-reads.txt" 2>&1 &
    pids+=($!)
    BACKGROUND+=("${pids[@]}")
    ROLL_START=$EPOCHREALTIME
    sleep "$ROLL_LEAD"
    ROLL_NOTES=""
    # Notes the first moment HAProxy's checks have the instance being restarted ($name) DOWN.
    seen_down() { [[ -z $out_of_rotation && $(lb_field two "$name" status) == DOWN* ]] && out_of_rotation=$EPOCHREALTIME; return 0; }
    for name in a b; do
        t_term=$EPOCHREALTIME
        step "SIGTERM to ${name^^}"
        kill -TERM "${APP_PID[$name]}"
        # When HAProxy's checks took it out: during the drain (/health/ready answers 503), or only once it stopped
        # listening, or not at all (it was back before two checks failed).
        out_of_rotation=""
        exited=""
        for _ in $(seq 1 1200); do
            seen_down
            kill -0 "${APP_PID[$name]}" 2>/dev/null || { exited=1; break; }
            sleep 0.1
        done
        [[ -n $exited ]] || die "instance ${name^^} did not exit within 120 s of SIGTERM"
        t_exit=$EPOCHREALTIME
        step "${name^^} exited"
        wait "${APP_PID[$name]}" && exit_code=0 || exit_code=$?
        step "${name^^} started"
        start_instance "$name"
        ready=""
        for _ in $(seq 1 1200); do
            seen_down
            kill -0 "${APP_PID[$name]}" 2>/dev/null || die "instance ${name^^} exited after its restart"
            [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${APP_PORT[$name]}/health/ready" || true) == 200 ]] && { ready=1; break; }
            sleep 0.1
        done
        [[ -n $ready ]] || die "instance ${name^^} was not ready within 120 s of its restart"
        t_ready=$EPOCHREALTIME
        step "${name^^} ready"
        seen_down
        wait_in_rotation two "$name" 60
        t_back=$EPOCHREALTIME
        step "${name^^} back in rotation"
        if [[ -z $out_of_rotation ]]; then
            down_note="HAProxy never had it DOWN"
        elif awk -v a="$out_of_rotation" -v b="$t_exit" 'BEGIN { exit !(a <= b) }'; then
            down_note="HAProxy had it DOWN $(since "$t_term" "$out_of_rotation") s after SIGTERM, while it drained"
        else
            down_note="HAProxy had it DOWN only after it exited ($(since "$t_term" "$out_of_rotation") s after SIGTERM)"
        fi
        note="${name^^}: SIGTERM → exit $(since "$t_term" "$t_exit") s (exit code $exit_code; $down_note), start → ready $(since "$t_exit" "$t_ready") s, ready → back in rotation $(since "$t_ready" "$t_back") s"
        log "    $note"
        ROLL_NOTES+="$note; "
    done
    sleep "$ROLL_TAIL"
    for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    stop_probes
    # The slowest probe answers, each placed after the last restart step before it was sent.
    PROBE_NOTE="probes through HAProxy (one request at a time): $(cat "$WORK"/probe-rolling-write-lb.txt | wc -l) writes, $(failed_between "$WORK/probe-rolling-write-lb.txt" 0 9999999999 201) not 201; $(cat "$WORK"/probe-rolling-feed-lb.txt | wc -l) feed GETs, $(failed_between "$WORK/probe-rolling-feed-lb.txt" 0 9999999999 200) not 200; slowest: $(
        for f in "$WORK"/probe-rolling-*.txt; do what=${f##*/probe-rolling-}; awk -v what="${what%.txt}" '{ print $1, $3, what }' "$f"; done |
            sort -k2,2 -g -r | awk 'NR <= 5' |
            while read -r start seconds what; do
                last=$(awk -v t="$start" '$1 <= t { line = $0 } END { print line }' "$WORK/rolling-events.txt")
                printf '%s %.0f ms %s, ' "$what" "$(awk -v s="$seconds" 'BEGIN { print s * 1000 }')" \
                    "$([[ -n $last ]] && echo "$(since "${last%% *}" "$start") s after \"${last#* }\"" || echo "before the first SIGTERM")"
            done)"
    PROBE_NOTE=${PROBE_NOTE%, }
    ROLL_SECONDS=$(since "$ROLL_START" "$EPOCHREALTIME")
    label_samples "idle"
    [[ -f $WORK/locations-rolling.txt ]] && cat "$WORK/locations-rolling.txt" >>"$WORK/locations.txt"
    read -r RETR_AFTER REDIS_AFTER ECON_AFTER FIVE_AFTER <<<"$(lb_field two BACKEND wretr) $(lb_field two BACKEND wredis) $(lb_field two BACKEND econ) $(lb_field two BACKEND hrsp_5xx)"
    LB_NOTE="HAProxy during the phase: $((RETR_AFTER - RETR_BEFORE)) retries, $((REDIS_AFTER - REDIS_BEFORE)) redispatches, $((ECON_AFTER - ECON_BEFORE)) connection errors, $((FIVE_AFTER - FIVE_BEFORE)) 5xx answers"
    wrk_row 2 "POST /api/events, paced $WRITE_RATE/s, during the rolling restart (${ROLL_SECONDS} s)" "HAProxy, A + B" "$WORK/wrk-rolling-writes.txt" \
        "statuses $(statuses_of "$WORK/wrk-rolling-writes.txt"); $LB_NOTE"
    wrk_row 2 "GET the feed they change, $MIX_READERS conn., same time" "HAProxy, A + B" "$WORK/wrk-rolling-reads.txt" "${ROLL_NOTES%; }; $PROBE_NOTE"
    log_lines_since_last PHASE2_LOG
    check "Phase 2: failed requests during the rolling restart (HTTP ≥ 400 and socket errors, writes and reads)" "0" \
        "$(($(read_result "$WORK/wrk-rolling-writes.txt" | cut -d' ' -f3) + $(read_result "$WORK/wrk-rolling-reads.txt" | cut -d' ' -f3)))"
    check "Phase 2: the same feed from A and B after both restarts and a write through A" "same" "$(same_etag 4 phase2)"
    check "Phase 2: fail:/warn: lines in the instances' logs" "0" "$PHASE2_LOG"
fi
touch "$WORK/sampler.stop"
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

# ---------------------------------------------------------------------------------------------------------------
if phase_on 3; then
    log "8/8 phase 3: outages, with probe loops every $PROBE_INTERVAL s"
    # --- 3a: the primary stopped -------------------------------------------------------------------------------
    log "    3a: PostgreSQL primary stopped for $OUTAGE s"
    wait_quiet
    PHASE_LOAD=$(load_average)
    start_probes primary \
        "write-a=POST:$A/api/events" "write-b=POST:$B/api/events" "write-lb=POST:$TWO/api/events" "write-fallback=POST:$FALLBACK/api/events" \
        "feed-a=GET:$A$FEED_PATH" "feed-b=GET:$B$FEED_PATH" "feed-lb=GET:$TWO$FEED_PATH" "feed-fallback=GET:$FALLBACK$FEED_PATH" \
        "list-a=GET:$A/api/events" "ready-a=GET:$A/health/ready" "live-a=GET:$A/health/live" "ready-b=GET:$B/health/ready" "live-b=GET:$B/health/live"
    sleep 3
    T_STOP=$EPOCHREALTIME
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null
    T_STOPPED=$EPOCHREALTIME
    sleep "$OUTAGE"
    T_START=$EPOCHREALTIME
    start_primary
    T_STARTED=$EPOCHREALTIME
    # Until every write probe has had a 201 again (at most 60 s), then 3 s more.
    for _ in $(seq 1 600); do
        pending=0
        for name in write-a write-b write-lb write-fallback; do
            [[ $(first_after "$WORK/probe-primary-$name.txt" "$T_START" 201) == never ]] && pending=1
        done
        ((pending == 0)) && break
        sleep 0.1
    done
    sleep 3
    stop_probes
    T_END=$EPOCHREALTIME
    P="$WORK/probe-primary"
    # latency_of <file> <from> <to> <status>: "p99 … ms, max … ms over N" of the answers with that status.
    latency_of() {
        awk -v from="$2" -v to="$3" -v want="$4" '$1 + $3 >= from && $1 < to && $2 == want { printf "%.1f\n", $3 * 1000 }' "$1" | sort -n \
            | awk 'NR { t[NR] = $1 } END { if (NR) printf "p99 %.0f ms, max %.0f ms over %d", t[int(0.99 * (NR - 1)) + 1], t[NR], NR; else print "none" }'
    }
    outage_note() { # <file>: how long the 503s took, when they began, and when 201s came back
        echo "503s took $(latency_of "$1" "$T_STOP" "$T_START" 503); first 503 $(first_after "$1" "$T_STOP" 503) after the stop began ($(since "$T_STOP" "$T_STOPPED") s to stop); first 201 $(first_after "$1" "$T_START" 201) after the start began ($(since "$T_START" "$T_STARTED") s to start)"
    }
    OUT="primary stopped $OUTAGE s"
    probe_row 3 "POST /api/events, $OUT" "A directly" "$P-write-a.txt" "$T_STOP" "$T_START" 201,503 "$(outage_note "$P-write-a.txt")"
    probe_row 3 "POST /api/events, $OUT" "B directly" "$P-write-b.txt" "$T_STOP" "$T_START" 201,503 "$(outage_note "$P-write-b.txt")"
    probe_row 3 "POST /api/events, $OUT" "HAProxy, A + B" "$P-write-lb.txt" "$T_STOP" "$T_START" 201,503 "$(outage_note "$P-write-lb.txt")"
    probe_row 3 "POST /api/events, $OUT" "HAProxy, A + B, backups without check" "$P-write-fallback.txt" "$T_STOP" "$T_START" 201,503 "$(outage_note "$P-write-fallback.txt")"
    probe_row 3 "GET kept organization feed, $OUT" "A directly" "$P-feed-a.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET kept organization feed, $OUT" "B directly" "$P-feed-b.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET kept organization feed, $OUT" "HAProxy, A + B" "$P-feed-lb.txt" "$T_STOP" "$T_START" 200 \
        "first 503 $(first_after "$P-feed-lb.txt" "$T_STOP" 503) after the stop began; 200 again $(first_after "$P-feed-lb.txt" "$T_START" 200) after the start began"
    probe_row 3 "GET kept organization feed, $OUT" "HAProxy, A + B, backups without check" "$P-feed-fallback.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET /api/events (anonymous: the replica, still up), $OUT" "A directly" "$P-list-a.txt" "$T_STOP" "$T_START" 200
    # The health probes from the moment pg_ctl said the primary had stopped: until then it still answered.
    probe_row 3 "GET /health/ready, $OUT" "A directly" "$P-ready-a.txt" "$T_STOPPED" "$T_START" 503 \
        "503 $(first_after "$P-ready-a.txt" "$T_STOP" 503) after the stop began; 200 again $(first_after "$P-ready-a.txt" "$T_START" 200) after the start began"
    probe_row 3 "GET /health/ready, $OUT" "B directly" "$P-ready-b.txt" "$T_STOPPED" "$T_START" 503 \
        "503 $(first_after "$P-ready-b.txt" "$T_STOP" 503) after the stop began; 200 again $(first_after "$P-ready-b.txt" "$T_START" 200) after the start began"
    probe_row 3 "GET /health/live, $OUT" "A directly" "$P-live-a.txt" "$T_STOPPED" "$T_START" 200
    probe_row 3 "GET /health/live, $OUT" "B directly" "$P-live-b.txt" "$T_STOPPED" "$T_START" 200
    # Before the stop and after the recovery, everything must have answered as usual.
    bad_outside=0
    for f in "$P"-*.txt; do
        case $f in *write*) ok=201 ;; *) ok=200 ;; esac
        bad_outside=$((bad_outside + $(failed_between "$f" 0 "$T_STOP" "$ok")))
    done
    check "Phase 3a: probes that failed before the primary was stopped" "0" "$bad_outside"
    log_lines_since_last PHASE3A_LOG
    check "Phase 3a: fail:/warn: lines in the instances' logs while the primary was down and after" "–" "$PHASE3A_LOG"

    # --- 3b: the replica stopped -------------------------------------------------------------------------------
    log "    3b: replica stopped for $OUTAGE s"
    PHASE_LOAD=$(load_average)
    start_probes replica "list-a=GET:$A/api/events" "list-b=GET:$B/api/events" "list-lb=GET:$TWO/api/events" \
        "search-a=GET:$A/api/search?q=rally" "ready-a=GET:$A/health/ready" "write-a=POST:$A/api/events"
    sleep 3
    T_STOP=$EPOCHREALTIME
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m fast -w -t 30 stop >/dev/null
    sleep "$OUTAGE"
    T_START=$EPOCHREALTIME
    start_replica
    T_STARTED=$EPOCHREALTIME
    sleep 5
    stop_probes
    T_END=$EPOCHREALTIME
    P="$WORK/probe-replica"
    OUT="replica stopped $OUTAGE s"
    probe_row 3 "GET /api/events (anonymous), $OUT" "A directly" "$P-list-a.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET /api/events (anonymous), $OUT" "B directly" "$P-list-b.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET /api/events (anonymous), $OUT" "HAProxy, A + B" "$P-list-lb.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET /api/search?q=rally (anonymous), $OUT" "A directly" "$P-search-a.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET /health/ready, $OUT" "A directly" "$P-ready-a.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "POST /api/events, $OUT" "A directly" "$P-write-a.txt" "$T_STOP" "$T_START" 201
    after_bad=0
    for f in "$P"-*.txt; do
        case $f in *write*) ok=201 ;; *) ok=200 ;; esac
        after_bad=$((after_bad + $(failed_between "$f" "$T_STARTED" "$T_END" "$ok")))
    done
    check "Phase 3b: probes that failed in the 5 s after the replica was started again" "0" "$after_bad"
    log_lines_since_last PHASE3B_LOG
    check "Phase 3b: fail:/warn: lines in the instances' logs" "–" "$PHASE3B_LOG"

    # --- 3c: Redis stopped -------------------------------------------------------------------------------------
    log "    3c: Redis stopped for $OUTAGE s"
    PHASE_LOAD=$(load_average)
    start_probes redis "write-a=POST:$A/api/events" "write-b=POST:$B/api/events" "write-lb=POST:$TWO/api/events" \
        "feed-a=GET:$A$FEED_PATH" "feed-b=GET:$B$FEED_PATH" "feed-lb=GET:$TWO$FEED_PATH" "ready-a=GET:$A/health/ready"
    sleep 3
    T_STOP=$EPOCHREALTIME
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
    sleep 2
    ETAG_DURING=$(same_etag 0 redis-down)
    sleep $((OUTAGE > 2 ? OUTAGE - 2 : 0))
    T_START=$EPOCHREALTIME
    start_redis
    T_STARTED=$EPOCHREALTIME
    sleep 5
    ETAG_AFTER=$(same_etag 0 redis-back)
    stop_probes
    T_END=$EPOCHREALTIME
    P="$WORK/probe-redis"
    OUT="Redis stopped $OUTAGE s"
    probe_row 3 "POST /api/events, $OUT" "A directly" "$P-write-a.txt" "$T_STOP" "$T_START" 201
    probe_row 3 "POST /api/events, $OUT" "B directly" "$P-write-b.txt" "$T_STOP" "$T_START" 201
    probe_row 3 "POST /api/events, $OUT" "HAProxy, A + B" "$P-write-lb.txt" "$T_STOP" "$T_START" 201
    probe_row 3 "GET organization feed, $OUT" "A directly" "$P-feed-a.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET organization feed, $OUT" "B directly" "$P-feed-b.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET organization feed, $OUT" "HAProxy, A + B" "$P-feed-lb.txt" "$T_STOP" "$T_START" 200
    probe_row 3 "GET /health/ready, $OUT" "A directly" "$P-ready-a.txt" "$T_STOP" "$T_START" 200
    after_bad=0
    for f in "$P"-*.txt; do
        case $f in *write*) ok=201 ;; *) ok=200 ;; esac
        after_bad=$((after_bad + $(failed_between "$f" "$T_STARTED" "$T_END" "$ok")))
    done
    check "Phase 3c: the same feed from A and B, a write through A while Redis is down" "same" "$ETAG_DURING"
    check "Phase 3c: the same feed from A and B, a write through A 5 s after Redis is back" "same" "$ETAG_AFTER"
    check "Phase 3c: probes that failed after Redis was started again" "0" "$after_bad"
    log_lines_since_last PHASE3C_LOG
    check "Phase 3c: fail:/warn: lines in the instances' logs" "–" "$PHASE3C_LOG"
fi

# ---------------------------------------------------------------------------------------------------------------
# Every 201 of the whole run, from wrk's writers, the probes and the checks: is its event in the database?
awk -F/ 'NF { sub(/\r$/, ""); sub(/[?#].*$/, ""); print $NF }' "$WORK/locations.txt" | sort -u >"$WORK/created-slugs.txt"
ANSWERED=$(wc -l <"$WORK/created-slugs.txt")
FOUND=$("$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -At -v ON_ERROR_STOP=1 <<EOF
CREATE TEMP TABLE answered (slug text PRIMARY KEY);
\copy answered FROM '$WORK/created-slugs.txt'
SELECT count(*) FROM answered a WHERE EXISTS (SELECT 1 FROM events e WHERE e.slug = a.slug);
EOF
)
check "Every 201 the API answered in this run (distinct Locations) is an event in the primary" "all" \
    "$FOUND of $ANSWERED$( ((FOUND == ANSWERED)) || echo ' **(some are missing)**')"
# The replica may still be replaying the last writes: wait (at most 10 s) until it has replayed what the primary has.
TARGET_LSN=$(sql "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 100); do
    [[ $("$PSQL" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -X -q -At -c "SELECT pg_last_wal_replay_lsn() >= '$TARGET_LSN'::pg_lsn") == t ]] && break
    sleep 0.1
done
REPLICA_ROWS=$("$PSQL" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -X -q -At -c "SELECT count(*) FROM events")
PRIMARY_ROWS=$(sql "SELECT count(*) FROM events")
check "Events on the primary and on the replica at the end, once it has replayed the primary's last WAL" "equal" "$PRIMARY_ROWS and $REPLICA_ROWS"

# ---------------------------------------------------------------------------------------------------------------
{
    echo
    echo "Scale-out on loopback: PostgreSQL primary + streaming replica, Redis, API instances A and B (Release), HAProxy $("$HAPROXY" -v | awk 'NR == 1 { print $3 }') in front (round robin, checks /health/ready every 1 s, fall 2 rise 2, retries with redispatch on connection failure)."
    echo "Data: $EVENTS generated events, $ORGANIZATIONS organizations; the organization feed has ${ORG_COUNT[0]} events ($FEED_BYTES bytes), all.ics $ALL_COUNT events ($ALL_BYTES bytes). Each phase-1 row: $WARMUP warm-up, then $DURATION; wrk -t$THREADS (writers: one thread each), --timeout $TIMEOUT. Writes are paced to $WRITE_RATE creates/s by $WRITERS writers (wrk/write-events.lua). Phase 3 rows are probe loops (curl one request after the other, $PROBE_INTERVAL s apart) over the outage only."
    echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load average (1/5/15 min) before each measurement in the Load column. Commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ modified)'), $(date -u '+%Y-%m-%d %H:%M UTC'). Drain: Organizer__Shutdown__DrainSeconds=$DRAIN_SECONDS."
    echo
    echo "| Phase | What | Through | Requests | req/s | p50 | p99 | max | Failed | Load | Notes |"
    echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$ROWS"
    echo
    if [[ -s $INSTANCES ]]; then
        echo "Per instance during the mixed loads of phase 1 (from each instance's /metrics before and after; connections to the primary: the most the sampler saw open, once a second):"
        echo
        echo "| Mixed load through | Instance | Feed renders | Kept-feed hits | DB operations on the primary | DB operations on the replica | Connections opened | Connections to the primary (max) |"
        echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$INSTANCES"
        echo
    fi
    echo "| Check | Expected | Measured |"
    echo "| --- | --- | --- |"
    cat "$CHECKS"
    echo
    echo "Command: $COMMAND_LINE"
} >"$WORK/result.md"
cat "$WORK/result.md"

for name in a b; do
    if grep -q -E 'fail:|warn:' "$WORK/api-$name.log"; then
        echo
        echo "First fail:/warn: lines of instance ${name^^}:"
        grep -A3 -E 'fail:|warn:' "$WORK/api-$name.log" | awk 'NR <= 24' # awk reads to the end: no SIGPIPE for grep
    fi
done
