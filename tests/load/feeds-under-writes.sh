#!/usr/bin/env bash
# The all-events calendar feed under a steady stream of writes (issue 10).
#
#   sudo bash tests/load/feeds-under-writes.sh        (as root: it installs packages and runs PostgreSQL as 'postgres')
#
# In one run it: installs wrk and nginx (Debian packages) if missing; starts a throwaway PostgreSQL cluster; fills it with
# tests/Organizer.DataGenerator so that /feeds/all.ics holds about 4,300 events; publishes and starts the API in
# Release with an admin token and a write rate limit high enough for the load; issues one token for each of WRITERS
# organizations; then runs three wrk clients at once for DURATION, all on 127.0.0.1:
#   - writers: WRITERS connections posting new public events to POST /api/events, paced to WRITE_RATE creates/s in
#     all (open-loop-ish: each writer sends on a fixed schedule, wrk/write-events.lua), unique titles;
#   - feed readers: FEED_CLIENTS connections GETting /feeds/all.ics in a closed loop, no If-None-Match;
#   - list readers: LIST_CLIENTS connections GETting /api/events (first page) in a closed loop.
# It samples the API's resident memory (VmRSS) every second, lets the API settle for SETTLE seconds, fetches the feed
# once more and compares its BEGIN:VEVENT count with the listed events in the database, prints a table, and stops and
# deletes everything it started. The API's log, wrk's output and the RSS samples are kept in KEEP_DIR.
#
# Then, unless NGINX_BASELINE=0, a baseline in the same run, with no writers and no list readers: the final all.ics
# bytes are saved and served by nginx on a free loopback port (text/calendar; charset=utf-8, sendfile on, as in
# feeds-vs-nginx.sh), and the same reader load (FEED_CLIENTS connections, closed loop, wrk/read.lua, DURATION) runs
# first against the API's cached all.ics, then against nginx. A second table compares the three feed figures (API
# under writes, API cached, nginx) and gives the API/nginx ratios in req/s and p99: how much of the feed latency is
# just moving those bytes to FEED_CLIENTS clients on this machine. The API's RSS after the cached phase goes in too.
#
# Settings (environment): DURATION (60s), WRITERS (4), WRITE_RATE (43: creates/s, all writers together),
# WRITE_CONNECTIONS (3: connections per writer, sharing its schedule, so that a slow answer does not hold back the
# next write while fewer than this many are in flight),
# FEED_CLIENTS (16), LIST_CLIENTS (4), EVENTS (4570: generated events, sessions included; about 94 % of them are
# public and not pending, so all.ics starts near 4,300), ORGANIZATIONS (1000), LIST_PATH (/api/events),
# TIMEOUT (10s: wrk counts a slower answer as a timeout error), SETTLE (3: seconds between the load and the final
# check), WARM_FEED (1: GET the feed once before the load so that it starts cached), KEEP_DIR
# (/tmp/organizer-load-results/feeds-under-writes-<time>), QUIET_LOAD (unset: with e.g. 1.0, wait for the 1-minute
# load average to drop below it before the load, at most QUIET_WAIT seconds, default 600; the machine may be shared),
# NGINX_BASELINE (1: run the baseline phase above; 0 skips it, and nginx is then not needed).
set -euo pipefail

# The command line to print with the figures: the settings given in the environment, then the script.
COMMAND_LINE=""
for setting in DURATION WRITERS WRITE_RATE WRITE_CONNECTIONS FEED_CLIENTS LIST_CLIENTS EVENTS ORGANIZATIONS LIST_PATH TIMEOUT SETTLE WARM_FEED KEEP_DIR QUIET_LOAD QUIET_WAIT NGINX_BASELINE; do
    if [[ -n ${!setting+x} ]]; then COMMAND_LINE+="$setting=$(printf %q "${!setting}") "; fi
done
COMMAND_LINE+="bash tests/load/feeds-under-writes.sh"

DURATION=${DURATION:-60s}
WRITERS=${WRITERS:-4}
WRITE_RATE=${WRITE_RATE:-43}
WRITE_CONNECTIONS=${WRITE_CONNECTIONS:-3}
FEED_CLIENTS=${FEED_CLIENTS:-16}
LIST_CLIENTS=${LIST_CLIENTS:-4}
EVENTS=${EVENTS:-4570}
ORGANIZATIONS=${ORGANIZATIONS:-1000}
LIST_PATH=${LIST_PATH:-/api/events}
TIMEOUT=${TIMEOUT:-10s}
SETTLE=${SETTLE:-3}
WARM_FEED=${WARM_FEED:-1}
NGINX_BASELINE=${NGINX_BASELINE:-1}
STAMP=$(date +%Y%m%d-%H%M%S)
KEEP_DIR=${KEEP_DIR:-/tmp/organizer-load-results/feeds-under-writes-$STAMP}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LUA_DIR="$ROOT/tests/load/wrk"
# shellcheck source=tests/load/lib.sh
source "$ROOT/tests/load/lib.sh"

require_root
[[ $DURATION =~ ^[0-9]+[smh]?$ ]] || die "DURATION must look like 60s, 2m or 60"
((WRITERS >= 1 && WRITE_CONNECTIONS >= 1 && FEED_CLIENTS >= 1 && LIST_CLIENTS >= 1)) || die "WRITERS, FEED_CLIENTS and LIST_CLIENTS must be at least 1"
[[ $NGINX_BASELINE == 0 || $NGINX_BASELINE == 1 ]] || die "NGINX_BASELINE must be 0 or 1"
STEPS=$((7 + NGINX_BASELINE))

# ---------------------------------------------------------------------------------------------------------------
# Everything this run starts is recorded here and undone on exit, whatever happens.
WORK=""
APP_PID=""
NGINX_PID=""
SAMPLER_PID=""
PG_DATA=""
PG_BIN=""
POLICY_RC=""
WRK_PIDS=()

cleanup() {
    local status=$?
    set +e
    for pid in "${WRK_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    if [[ -n $SAMPLER_PID ]]; then kill -TERM "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; fi
    if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill -TERM "$APP_PID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$APP_PID" 2>/dev/null
        wait "$APP_PID" 2>/dev/null
    fi
    if [[ -n $NGINX_PID ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$NGINX_PID" 2>/dev/null
        wait "$NGINX_PID" 2>/dev/null
    fi
    stop_cluster "$PG_DATA"
    [[ -n $POLICY_RC ]] && rm -f "$POLICY_RC"
    if [[ -n $WORK && -d $WORK ]]; then
        # Keep what explains the figures: the API's log (warn:/fail: lines), wrk's output, the RSS samples.
        mkdir -p "$KEEP_DIR"
        cp "$WORK"/api.log "$WORK"/wrk-*.txt "$WORK"/rss.txt "$WORK"/result.md "$KEEP_DIR"/ 2>/dev/null
        [[ -f $WORK/nginx/error.log ]] && cp "$WORK/nginx/error.log" "$KEEP_DIR/nginx-error.log" 2>/dev/null
        rm -rf "$WORK"
        log "kept the API log, wrk output and RSS samples in $KEEP_DIR"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
log "1/$STEPS tools"
needed=(wrk:wrk curl:curl jq:jq postgresql)
[[ $NGINX_BASELINE == 1 ]] && needed+=(/usr/sbin/nginx:nginx)
ensure_packages "${needed[@]}"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
find_postgres
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"

WORK=$(mktemp -d /tmp/organizer-load.XXXXXX)
chmod 755 "$WORK" # the postgres user and nginx's workers must reach their directories inside

# ---------------------------------------------------------------------------------------------------------------
log "2/$STEPS building the data generator and publishing the API (Release)"
build_api_and_generator

# ---------------------------------------------------------------------------------------------------------------
log "3/$STEPS throwaway PostgreSQL cluster"
PG_PORT=$(free_port)
start_throwaway_cluster "$WORK/pg" "$PG_PORT"
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
sql() { "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
# The events /feeds/all.ics lists (EventVisibility.Listed: public and not pending; no Feeds:PastDays is set here).
LISTED_SQL="SELECT count(*) FROM events WHERE visibility = 'Public' AND status <> 'Pending'"

log "4/$STEPS generating $EVENTS events and $ORGANIZATIONS organizations"
dotnet "$ROOT/tests/Organizer.DataGenerator/bin/Release/net10.0/Organizer.DataGenerator.dll" --connection "$CONNECTION" --events "$EVENTS" --organizations "$ORGANIZATIONS" | sed 's/^/    /' >&2

# ---------------------------------------------------------------------------------------------------------------
log "5/$STEPS starting the API"
APP_PORT=$(free_port)
ADMIN_TOKEN="admin.load-$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
(
    cd "$WORK/api"
    # The per-token write limit (60 a minute by default) would turn most of the paced writes into 429s: raise it.
    exec env ConnectionStrings__Organizer="$CONNECTION" \
        ASPNETCORE_URLS="http://127.0.0.1:$APP_PORT" \
        Organizer__Database__SeedOnStartup=false \
        Organizer__AdminToken="$ADMIN_TOKEN" \
        Organizer__RateLimits__WritesPerMinute=1000000 \
        Logging__LogLevel__Default=Warning \
        Logging__Console__TimestampFormat="HH:mm:ss.fff " \
        dotnet Organizer.Api.dll
) >"$WORK/api.log" 2>&1 &
APP_PID=$!
APP="http://127.0.0.1:$APP_PORT"
ready=""
for _ in $(seq 1 120); do
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/api.log" >&2; die "the API exited"; }
    if [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$APP/health/ready" || true) == 200 ]]; then ready=1; break; fi
    sleep 0.5
done
[[ -n $ready ]] || { cat "$WORK/api.log" >&2; die "the API was not ready within 60 s"; }

# One token for each writer, each for a different organization (the writers' events are hosted by it).
mapfile -t WRITER_ORGS < <(sql "SELECT slug FROM organizations ORDER BY slug LIMIT $WRITERS")
((${#WRITER_ORGS[@]} == WRITERS)) || die "fewer than $WRITERS organizations"
TOKENS=()
for org in "${WRITER_ORGS[@]}"; do
    TOKENS+=("$(issue_token "$APP" "$ADMIN_TOKEN" "$org" "load test")")
done
# A few places that public events already use, for the new events to be at.
PLACES=$(sql "SELECT p.slug FROM places p WHERE EXISTS (SELECT 1 FROM events e WHERE e.place_id = p.id AND e.visibility = 'Public' AND e.status <> 'Pending') ORDER BY p.slug LIMIT 20" | tr '\n' ' ')
RUN_ID="r$STAMP"

# One write by hand first: a bad body or token shows here, not as thousands of errors in the table.
check_body=$(printf '{"title":"Load test %s check","kind":"rally","allDay":false,"start":"2027-01-01T18:00:00","end":"2027-01-01T19:00:00","timeZone":"America/Toronto","place":"%s"}' "$RUN_ID" "${PLACES%% *}")
code=$(curl -s -m 30 -o "$WORK/check.json" -w '%{http_code}' -X POST "$APP/api/events" -H "Authorization: Bearer ${TOKENS[0]}" \
    -H 'Content-Type: application/json' -d "$check_body")
[[ $code == 201 ]] || { cat "$WORK/check.json" >&2; echo >&2; die "a test write answered $code, not 201"; }

FEED_PATH=/feeds/all.ics
FEED="$APP$FEED_PATH"
FIRST_MS="-"
if [[ $WARM_FEED == 1 ]]; then
    FIRST_MS=$(curl -sf -m 60 -o "$WORK/feed-before.ics" -w '%{time_total}' "$FEED" | awk '{printf "%.0f", $1 * 1000}') || die "GET $FEED_PATH failed"
    FEED_BYTES_BEFORE=$(stat -c %s "$WORK/feed-before.ics")
    FEED_EVENTS_BEFORE=$(grep -c '^BEGIN:VEVENT' "$WORK/feed-before.ics" || true)
    CACHED_MS=$(curl -sf -m 60 -o /dev/null -w '%{time_total}' "$FEED" | awk '{printf "%.1f", $1 * 1000}')
    log "    $FEED_PATH: $FEED_EVENTS_BEFORE events, $FEED_BYTES_BEFORE bytes; first (rendered) GET ${FIRST_MS} ms, second ${CACHED_MS} ms"
    curl -sf -m 60 -o /dev/null "$APP$LIST_PATH" || die "GET $LIST_PATH failed"
fi
LISTED_BEFORE=$(sql "$LISTED_SQL")
EVENTS_BEFORE=$(sql "SELECT count(*) FROM events")

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$APP_PID/status"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$APP_PID/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }

# ---------------------------------------------------------------------------------------------------------------
if [[ -n ${QUIET_LOAD:-} ]]; then
    waited=0
    until awk -v limit="$QUIET_LOAD" '{ exit !($1 < limit) }' /proc/loadavg; do
        if ((waited >= ${QUIET_WAIT:-600})); then log "    load still $(cut -d' ' -f1-3 /proc/loadavg) after ${waited} s; measuring anyway"; break; fi
        sleep 10
        waited=$((waited + 10))
    done
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
STARTED_AT=$(date +%H:%M:%S)
RSS_BEFORE=$(rss_kb)
HWM_BEFORE=$(hwm_kb)
log "6/$STEPS load for $DURATION: $WRITERS writers at $WRITE_RATE creates/s in all, $FEED_CLIENTS feed readers, $LIST_CLIENTS list readers (RSS $(mb "$RSS_BEFORE") MB, load $LOAD_BEFORE)"

# RSS every second, as "<seconds since start> <kB>".
(
    start=$(date +%s)
    while kill -0 "$APP_PID" 2>/dev/null; do
        echo "$(($(date +%s) - start)) $(awk '/^VmRSS:/ { print $2 }' "/proc/$APP_PID/status" 2>/dev/null)"
        sleep 1
    done
) >"$WORK/rss.txt" &
SAMPLER_PID=$!

export LUA_DIR WRITE_RATE RUN_ID PLACES
export WRITE_TOKENS="${TOKENS[*]}" WRITE_THREADS=$WRITERS
# Enough slack for a slow end: wrk stops by itself after DURATION plus at most TIMEOUT.
LIMIT=$(($(awk -v d="$DURATION" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; if (d ~ /h$/) n *= 3600; print n }') + 60))
timeout "$LIMIT" wrk -t"$WRITERS" -c$((WRITERS * WRITE_CONNECTIONS)) -d"$DURATION" --timeout "$TIMEOUT" -s "$LUA_DIR/write-events.lua" "$APP" >"$WORK/wrk-writes.txt" 2>&1 &
WRK_PIDS+=($!)
timeout "$LIMIT" wrk -t2 -c"$FEED_CLIENTS" -d"$DURATION" --timeout "$TIMEOUT" -s "$LUA_DIR/read.lua" "$FEED" >"$WORK/wrk-feed.txt" 2>&1 &
WRK_PIDS+=($!)
timeout "$LIMIT" wrk -t1 -c"$LIST_CLIENTS" -d"$DURATION" --timeout "$TIMEOUT" -s "$LUA_DIR/read.lua" "$APP$LIST_PATH" >"$WORK/wrk-list.txt" 2>&1 &
WRK_PIDS+=($!)
wrk_failed=""
for pid in "${WRK_PIDS[@]}"; do wait "$pid" || wrk_failed=1; done
WRK_PIDS=()
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
ENDED_AT=$(date +%H:%M:%S)
RSS_END=$(rss_kb)
[[ -z $wrk_failed ]] || { cat "$WORK"/wrk-*.txt >&2; die "a wrk client failed"; }
for name in writes feed list; do
    grep -q '^RESULT ' "$WORK/wrk-$name.txt" || { cat "$WORK/wrk-$name.txt" >&2; die "wrk ($name) printed no result"; }
done

# ---------------------------------------------------------------------------------------------------------------
log "7/$STEPS settling ${SETTLE} s, then checking the feed"
sleep "$SETTLE"
RSS_AFTER=$(rss_kb)
HWM_AFTER=$(hwm_kb)
kill -TERM "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
RSS_PEAK=$(awk 'NF == 2 && $2 > max { max = $2 } END { print max + 0 }' "$WORK/rss.txt")
FINAL_MS=$(curl -sf -m 60 -o "$WORK/feed-after.ics" -w '%{time_total}' "$FEED" | awk '{printf "%.0f", $1 * 1000}') || die "the final GET $FEED_PATH failed"
FEED_EVENTS_AFTER=$(grep -c '^BEGIN:VEVENT' "$WORK/feed-after.ics" || true)
FEED_BYTES_AFTER=$(stat -c %s "$WORK/feed-after.ics")
LISTED_AFTER=$(sql "$LISTED_SQL")
EVENTS_AFTER=$(sql "SELECT count(*) FROM events")
CREATED=$((EVENTS_AFTER - EVENTS_BEFORE))
LOG_FAIL=$(grep -c 'fail:' "$WORK/api.log" || true)
LOG_WARN=$(grep -c 'warn:' "$WORK/api.log" || true)
# Writes in flight when wrk closes its connections are cancelled, and EF logs a failed transaction for some of them:
# count the fail: lines logged before the load ended apart (the log's timestamps are HH:mm:ss.fff).
LOG_FAIL_DURING=$(awk -v end="$ENDED_AT" '/fail:/ && substr($1, 1, 8) < end { n++ } END { print n + 0 }' "$WORK/api.log")

# RESULT <requests> <seconds> <errors> <status errors> <socket errors> <p50> <p99> <max> <mean> <bytes> (summary.lua)
read_result() { awk '$1 == "RESULT" { print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$WORK/wrk-$1.txt"; }
read -r W_REQ W_SEC W_ERR W_STATUS_ERR W_SOCK_ERR W_P50 W_P99 W_MAX W_MEAN W_BYTES <<<"$(read_result writes)"
read -r F_REQ F_SEC F_ERR F_STATUS_ERR F_SOCK_ERR F_P50 F_P99 F_MAX F_MEAN F_BYTES <<<"$(read_result feed)"
read -r L_REQ L_SEC L_ERR L_STATUS_ERR L_SOCK_ERR L_P50 L_P99 L_MAX L_MEAN L_BYTES <<<"$(read_result list)"
W_STATUSES=$(awk '$1 == "STATUSES" { $1 = ""; sub(/^ /, ""); print }' "$WORK/wrk-writes.txt")
W_CREATED=$(awk '$1 == "STATUSES" { for (i = 2; i <= NF; i++) { split($i, p, ":"); if (p[1] == 201) n += p[2] } } END { print n + 0 }' "$WORK/wrk-writes.txt")
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }'; }
ms() { awk -v v="$1" 'BEGIN { printf (v >= 100 ? "%.0f ms" : "%.1f ms"), v }'; }
W_RATE=$(rate "$W_CREATED" "$W_SEC")

verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "met" : "**NOT met**") }'; }
P99_OK=$(awk -v v="$F_P99" 'BEGIN { print (v <= 100) }')
ERR_OK=$((W_ERR + F_ERR + L_ERR == 0 ? 1 : 0))
RSS_OK=$(awk -v kb="$RSS_AFTER" 'BEGIN { print (kb <= 300 * 1024) }')
FRESH_OK=$((FEED_EVENTS_AFTER == LISTED_AFTER ? 1 : 0))
RATE_OK=$(awk -v r="$W_RATE" -v t="$WRITE_RATE" 'BEGIN { print (r >= 0.9 * t) }')

cat >"$WORK/result.md" <<EOF

Mixed load on /feeds/all.ics for $DURATION: $WRITERS writers (POST /api/events, paced to $WRITE_RATE creates/s in all, $WRITE_CONNECTIONS connections each), $FEED_CLIENTS feed readers (plain GET, closed loop), $LIST_CLIENTS list readers (GET $LIST_PATH, closed loop); wrk on 127.0.0.1, --timeout $TIMEOUT.
Feed before the load: ${FEED_EVENTS_BEFORE:-?} events, ${FEED_BYTES_BEFORE:-?} bytes (first, rendered GET ${FIRST_MS} ms; cached ${CACHED_MS:-?} ms). Listed events in the database: $LISTED_BEFORE before, $LISTED_AFTER after.
Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load average (1/5/15 min) $LOAD_BEFORE before, $LOAD_AFTER after (load from $STARTED_AT to $ENDED_AT). Commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ modified)'), $(date -u '+%Y-%m-%d %H:%M UTC').

| Client | Requests | req/s | Errors | p50 | p99 | max | mean |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| Writes: POST /api/events | $W_REQ | $(rate "$W_REQ" "$W_SEC") | $W_ERR | $(ms "$W_P50") | $(ms "$W_P99") | $(ms "$W_MAX") | $(ms "$W_MEAN") |
| Feed: GET $FEED_PATH | $F_REQ | $(rate "$F_REQ" "$F_SEC") | $F_ERR | $(ms "$F_P50") | $(ms "$F_P99") | $(ms "$F_MAX") | $(ms "$F_MEAN") |
| List: GET $LIST_PATH | $L_REQ | $(rate "$L_REQ" "$L_SEC") | $L_ERR | $(ms "$L_P50") | $(ms "$L_P99") | $(ms "$L_MAX") | $(ms "$L_MEAN") |

| Check | Target | Measured | Result |
| --- | --- | --- | --- |
| Feed GET p99 | ≤ 100 ms | $(ms "$F_P99") | $(verdict "$P99_OK") |
| Errors (HTTP ≥ 400, connect/read/write/timeout), all clients | 0 | $((W_ERR + F_ERR + L_ERR)) (writes $W_STATUS_ERR HTTP + $W_SOCK_ERR socket, feed $F_STATUS_ERR + $F_SOCK_ERR, list $L_STATUS_ERR + $L_SOCK_ERR) | $(verdict "$ERR_OK") |
| API RSS at the end (after ${SETTLE} s) | ≤ 300 MB | $(mb "$RSS_AFTER") MB (before $(mb "$RSS_BEFORE"), at the end of the load $(mb "$RSS_END"), peak sampled $(mb "$RSS_PEAK"), VmHWM $(mb "$HWM_BEFORE") → $(mb "$HWM_AFTER")) | $(verdict "$RSS_OK") |
| Writes achieved (201s; the mix is lighter than asked below 90 %) | ≈ $WRITE_RATE/s | $W_RATE/s ($W_CREATED created of $W_REQ answered; statuses $W_STATUSES; $CREATED new rows in events, the difference being writes still in flight when wrk stopped) | $(verdict "$RATE_OK") |
| Final feed is fresh (after ${SETTLE} s) | = listed events | $FEED_EVENTS_AFTER in all.ics ($FEED_BYTES_AFTER bytes, GET ${FINAL_MS} ms) vs $LISTED_AFTER in the database | $(verdict "$FRESH_OK") |
| API log | – | $LOG_FAIL \`fail:\` lines ($LOG_FAIL_DURING before the load ended at $ENDED_AT; later ones are usually writes cancelled when wrk closed its connections) and $LOG_WARN \`warn:\` lines | – |

Command: $COMMAND_LINE
EOF
cat "$WORK/result.md"

# ---------------------------------------------------------------------------------------------------------------
# The baseline: the same reader load on the same bytes, from the API's cache and from nginx, with nothing else running.
if [[ $NGINX_BASELINE == 1 ]]; then
    log "8/$STEPS baseline, readers only (no writers, no list readers): the final all.ics from the API's cache, then from nginx; $FEED_CLIENTS readers for $DURATION each"
    LOG_LINES_BEFORE_BASELINE=$(wc -l <"$WORK/api.log")
    # The bytes: what the API answers now that the writes have stopped, i.e. its cached all.ics. That is what the
    # freshness check got, unless a late commit changed the feed since; then the newer bytes are used for both.
    curl -sf -m 60 -o "$WORK/feed-baseline.ics" -D "$WORK/feed-baseline.headers" "$FEED" || die "GET $FEED_PATH failed"
    cmp -s "$WORK/feed-after.ics" "$WORK/feed-baseline.ics" || log "    all.ics changed after the freshness check; the baseline uses the newer bytes"
    B_BYTES=$(stat -c %s "$WORK/feed-baseline.ics")
    B_EVENTS=$(grep -c '^BEGIN:VEVENT' "$WORK/feed-baseline.ics" || true)
    content_type() { awk 'tolower($1) == "content-type:" { sub(/\r$/, ""); $1 = ""; sub(/^ /, ""); print }' "$1"; }
    API_TYPE=$(content_type "$WORK/feed-baseline.headers")

    start_static_nginx "$WORK/nginx" "$WORK/feed-baseline.ics" "$FEED_PATH"
    curl -sf -m 60 -o "$WORK/static.ics" -D "$WORK/static.headers" "$STATIC" || die "nginx does not serve the feed"
    cmp -s "$WORK/feed-baseline.ics" "$WORK/static.ics" || die "nginx serves different bytes"
    NGINX_TYPE=$(content_type "$WORK/static.headers")
    [[ ${API_TYPE,,} == "${NGINX_TYPE,,}" ]] || log "    Content-Type differs: API '$API_TYPE', nginx '$NGINX_TYPE'"

    # The same wrk command as the feed readers of the mixed load, one target after the other.
    reader_load() {
        timeout "$LIMIT" wrk -t2 -c"$FEED_CLIENTS" -d"$DURATION" --timeout "$TIMEOUT" -s "$LUA_DIR/read.lua" "$1" >"$WORK/wrk-$2.txt" 2>&1 \
            || { cat "$WORK/wrk-$2.txt" >&2; die "wrk ($2) failed"; }
        grep -q '^RESULT ' "$WORK/wrk-$2.txt" || { cat "$WORK/wrk-$2.txt" >&2; die "wrk ($2) printed no result"; }
    }
    C_LOAD=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
    log "    API, cached all.ics (load $C_LOAD)"
    reader_load "$FEED" feed-cached
    RSS_CACHED=$(rss_kb)
    HWM_CACHED=$(hwm_kb)
    # The API must have served those bytes throughout: a change would mean a render was measured, not the cache.
    CACHED_SAME="yes"
    cmp -s "$WORK/feed-baseline.ics" <(curl -sf -m 60 "$FEED") || CACHED_SAME="**no: all.ics changed during the phase**"
    N_LOAD=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')
    log "    nginx, same bytes (load $N_LOAD)"
    reader_load "$STATIC" feed-nginx
    read -r C_REQ C_SEC C_ERR C_STATUS_ERR C_SOCK_ERR C_P50 C_P99 C_MAX C_MEAN C_BYTES <<<"$(read_result feed-cached)"
    read -r N_REQ N_SEC N_ERR N_STATUS_ERR N_SOCK_ERR N_P50 N_P99 N_MAX N_MEAN N_BYTES <<<"$(read_result feed-nginx)"
    LOG_BASELINE=$(tail -n +"$((LOG_LINES_BEFORE_BASELINE + 1))" "$WORK/api.log" | grep -c -E 'fail:|warn:' || true)

    mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1e6 : 0) }'; }
    per_response() { awk -v b="$1" -v n="$2" 'BEGIN { printf "%.2f", (n > 0 ? b / n / 1e6 : 0) }'; }
    share() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "–" }'; }
    times() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "–" }'; }
    F_RATE=$(rate "$F_REQ" "$F_SEC")
    C_RATE=$(rate "$C_REQ" "$C_SEC")
    N_RATE=$(rate "$N_REQ" "$N_SEC")

    cat >"$WORK/baseline.md" <<EOF

Baseline in the same run: the feed readers alone, $FEED_CLIENTS connections in a closed loop for $DURATION each (the same wrk -t2 command and wrk/read.lua as above, --timeout $TIMEOUT, no warm-up), first against the API's cached all.ics, then against nginx serving the same file. Readers only: no writers and no list readers in these two phases (the mixed load above had both).
Bytes: the final all.ics, $B_EVENTS events, $B_BYTES bytes, identical from the API and nginx (Content-Type: API \`$API_TYPE\`, nginx \`$NGINX_TYPE\`; nginx with sendfile). Under writes the feed grew during the load, from ${FEED_BYTES_BEFORE:-?} to $FEED_BYTES_AFTER bytes. MB/s and MB per response count everything wrk read, headers included (1 MB = 10^6 bytes).

| Feed GET $FEED_PATH | Other load | Requests | req/s | MB/s | MB per response | Errors | p50 | p99 | max | Load avg before |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
| API under writes (the mixed load above) | $WRITERS writers, $LIST_CLIENTS list readers | $F_REQ | $F_RATE | $(mbps "$F_BYTES" "$F_SEC") | $(per_response "$F_BYTES" "$F_REQ") | $F_ERR | $(ms "$F_P50") | $(ms "$F_P99") | $(ms "$F_MAX") | $LOAD_BEFORE |
| API, cached all.ics | none: readers only | $C_REQ | $C_RATE | $(mbps "$C_BYTES" "$C_SEC") | $(per_response "$C_BYTES" "$C_REQ") | $C_ERR | $(ms "$C_P50") | $(ms "$C_P99") | $(ms "$C_MAX") | $C_LOAD |
| nginx, same bytes | none: readers only | $N_REQ | $N_RATE | $(mbps "$N_BYTES" "$N_SEC") | $(per_response "$N_BYTES" "$N_REQ") | $N_ERR | $(ms "$N_P50") | $(ms "$N_P99") | $(ms "$N_MAX") | $N_LOAD |

| Ratio | req/s (API ÷ nginx) | p99 (API ÷ nginx; above 1× is slower) |
| --- | ---: | ---: |
| API cached / nginx | $(share "$C_RATE" "$N_RATE") | $(times "$C_P99" "$N_P99") |
| API under writes / nginx | $(share "$F_RATE" "$N_RATE") | $(times "$F_P99" "$N_P99") |

API RSS after the cached phase: $(mb "$RSS_CACHED") MB (VmHWM $(mb "$HWM_CACHED") MB). The API served the same bytes throughout the cached phase: $CACHED_SAME. API log during the baseline: $LOG_BASELINE \`fail:\`/\`warn:\` lines.
EOF
    tee -a "$WORK/result.md" <"$WORK/baseline.md"
fi

if ((LOG_FAIL + LOG_WARN > 0)); then
    echo
    echo "First fail:/warn: lines of the API log:"
    grep -A3 -E 'fail:|warn:' "$WORK/api.log" | head -n 40
fi
