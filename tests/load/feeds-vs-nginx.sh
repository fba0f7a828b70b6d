#!/usr/bin/env bash
# Calendar feeds under load, side by side with nginx serving the very same bytes as a static file.
#
#   sudo bash tests/load/feeds-vs-nginx.sh            (as root: it installs packages and runs PostgreSQL as 'postgres')
#
# In one run it: installs wrk and nginx (Debian packages) if missing; starts a throwaway PostgreSQL cluster; fills it
# with tests/Organizer.DataGenerator; publishes and starts the API in Release; picks one organization feed with a
# typical number of events; serves the same bytes from nginx; measures GET and 304 (If-None-Match) req/s of both
# with wrk on 127.0.0.1 only; prints a table with the ratios; and stops and deletes everything it started.
#
# Settings (environment): EVENTS (10000), ORGANIZATIONS (1000), DURATION (15s), WARMUP (3s), THREADS (2),
# CONNECTIONS (32), FEED_EVENTS (100: the organization whose feed is closest to this many events is picked),
# QUIET_LOAD (unset: with e.g. 1.0, each measurement first waits for the 1-minute load average to drop below it,
# at most QUIET_WAIT seconds, default 600; the machine may be shared).
set -euo pipefail

EVENTS=${EVENTS:-10000}
ORGANIZATIONS=${ORGANIZATIONS:-1000}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-3s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
FEED_EVENTS=${FEED_EVENTS:-100}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/load/lib.sh
source "$ROOT/tests/load/lib.sh"

require_root

# ---------------------------------------------------------------------------------------------------------------
# Everything this run starts is recorded here and undone on exit, whatever happens.
WORK=""
APP_PID=""
NGINX_PID=""
PG_DATA=""
PG_BIN=""
POLICY_RC=""

cleanup() {
    local status=$?
    set +e
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
    [[ -n $WORK && -d $WORK ]] && rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
log "1/7 tools"
ensure_packages wrk:wrk /usr/sbin/nginx:nginx curl:curl postgresql
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
find_postgres
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"

WORK=$(mktemp -d /tmp/organizer-load.XXXXXX)
chmod 755 "$WORK" # the postgres user and nginx's workers must reach their directories inside

# ---------------------------------------------------------------------------------------------------------------
log "2/7 building the data generator and publishing the API (Release)"
build_api_and_generator

# ---------------------------------------------------------------------------------------------------------------
log "3/7 throwaway PostgreSQL cluster"
PG_PORT=$(free_port)
start_throwaway_cluster "$WORK/pg" "$PG_PORT"
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
sql() { "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

log "4/7 generating $EVENTS events and $ORGANIZATIONS organizations"
dotnet "$ROOT/tests/Organizer.DataGenerator/bin/Release/net10.0/Organizer.DataGenerator.dll" --connection "$CONNECTION" --events "$EVENTS" --organizations "$ORGANIZATIONS" | sed 's/^/    /' >&2

# ---------------------------------------------------------------------------------------------------------------
log "5/7 starting the API"
APP_PORT=$(free_port)
(
    cd "$WORK/api"
    exec env ConnectionStrings__Organizer="$CONNECTION" \
        ASPNETCORE_URLS="http://127.0.0.1:$APP_PORT" \
        Organizer__Database__SeedOnStartup=false \
        Logging__LogLevel__Default=Warning \
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

# The feed of an organization with a typical number of public events (as the feed counts them).
read -r SLUG FEED_COUNT < <(sql "
    SELECT o.slug || ' ' || count(*)
    FROM organizations o
    JOIN event_participations p ON p.organization_id = o.id
    JOIN events e ON e.id = p.event_id AND e.visibility = 'Public' AND e.status <> 'Pending'
    GROUP BY o.slug
    ORDER BY abs(count(*) - $FEED_EVENTS), o.slug
    LIMIT 1")
[[ -n ${SLUG:-} && -n ${FEED_COUNT:-} ]] || die "no organization with events was found"
FEED_PATH="/feeds/organizations/$SLUG.ics"
FEED="$APP$FEED_PATH"
log "    feed: $FEED_PATH ($FEED_COUNT events)"

FIRST_MS=$(curl -sf -m 30 -o "$WORK/feed.ics" -D "$WORK/feed.headers" -w '%{time_total}' "$FEED" | awk '{printf "%.1f", $1 * 1000}') \
    || die "GET $FEED_PATH failed"
ETAG=$(awk 'tolower($1) == "etag:" { sub(/\r$/, ""); print $2 }' "$WORK/feed.headers")
[[ -n $ETAG ]] || die "the feed has no ETag"
FEED_BYTES=$(stat -c %s "$WORK/feed.ics")
CACHED_MS=$(curl -sf -m 30 -o /dev/null -w '%{time_total}' "$FEED" | awk '{printf "%.1f", $1 * 1000}')
[[ $(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$FEED") == 304 ]] || die "the API does not answer If-None-Match with 304"
cmp -s "$WORK/feed.ics" <(curl -sf -m 30 "$FEED") || die "the cached feed differs from the first response"
log "    $FEED_BYTES bytes, ETag $ETAG; first (rendered) GET ${FIRST_MS} ms, second (cached) ${CACHED_MS} ms"

# ---------------------------------------------------------------------------------------------------------------
log "6/7 starting nginx with the same bytes"
start_static_nginx "$WORK/nginx" "$WORK/feed.ics" "$FEED_PATH"
curl -sf -m 10 -o "$WORK/static.ics" -D "$WORK/static.headers" "$STATIC" || die "nginx does not serve the feed"
cmp -s "$WORK/feed.ics" "$WORK/static.ics" || die "nginx serves different bytes"
NGINX_ETAG=$(awk 'tolower($1) == "etag:" { sub(/\r$/, ""); print $2 }' "$WORK/static.headers")
[[ $(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "If-None-Match: $NGINX_ETAG" "$STATIC") == 304 ]] || die "nginx does not answer If-None-Match with 304"

# ---------------------------------------------------------------------------------------------------------------
log "7/7 wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up each)"
# The machine is shared: the load average (1, 5, 15 min) just before each measurement goes into the table
# (load_average and wait_quiet are in lib.sh).
# Prints "req/s p50 p99 errors load" for one bounded wrk run.
measure() {
    local name=$1 url=$2 header=${3:-}
    local args=(-t"$THREADS" -c"$CONNECTIONS" --timeout 5s --latency)
    [[ -n $header ]] && args+=(-H "$header")
    wait_quiet
    timeout 60 wrk "${args[@]}" -d"$WARMUP" "$url" >/dev/null
    local load
    load=$(load_average)
    timeout 120 wrk "${args[@]}" -d"$DURATION" "$url" >"$WORK/wrk-$name.txt"
    awk -v load="$load" '
        /Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = $2 }
        /^ +99%/ { p99 = $2 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%s %s %s %d %s\n", rps, p50, p99, errors, load }' "$WORK/wrk-$name.txt"
}

result=$(measure app-get "$FEED")
read -r APP_GET APP_GET_P50 APP_GET_P99 APP_GET_ERR APP_GET_LOAD <<<"$result"
result=$(measure app-304 "$FEED" "If-None-Match: $ETAG")
read -r APP_304 APP_304_P50 APP_304_P99 APP_304_ERR APP_304_LOAD <<<"$result"
result=$(measure nginx-get "$STATIC")
read -r NGX_GET NGX_GET_P50 NGX_GET_P99 NGX_GET_ERR NGX_GET_LOAD <<<"$result"
result=$(measure nginx-304 "$STATIC" "If-None-Match: $NGINX_ETAG")
read -r NGX_304 NGX_304_P50 NGX_304_P99 NGX_304_ERR NGX_304_LOAD <<<"$result"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
verdict() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { print (b > 0 && 100 * a / b >= t ? "met" : "NOT met") }'; }

cat <<EOF

Calendar feed $FEED_PATH: $FEED_COUNT events, $FEED_BYTES bytes; first (rendered) GET ${FIRST_MS} ms, then cached.
Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); wrk -t$THREADS -c$CONNECTIONS -d$DURATION on 127.0.0.1.

| Request | Organizer req/s | p50 / p99 | nginx req/s | p50 / p99 | Organizer / nginx | Target | Result |
| --- | ---: | --- | ---: | --- | ---: | ---: | --- |
| GET 200 (cached feed) | $APP_GET | $APP_GET_P50 / $APP_GET_P99 | $NGX_GET | $NGX_GET_P50 / $NGX_GET_P99 | $(ratio "$APP_GET" "$NGX_GET") | ≥ 50% | $(verdict "$APP_GET" "$NGX_GET" 50) |
| 304 (If-None-Match) | $APP_304 | $APP_304_P50 / $APP_304_P99 | $NGX_304 | $NGX_304_P50 / $NGX_304_P99 | $(ratio "$APP_304" "$NGX_304") | ≥ 70% | $(verdict "$APP_304" "$NGX_304" 70) |

Errors (non-2xx/3xx or socket errors): Organizer GET $APP_GET_ERR, Organizer 304 $APP_304_ERR, nginx GET $NGX_GET_ERR, nginx 304 $NGX_304_ERR.
Load average (1/5/15 min) before each run: Organizer GET $APP_GET_LOAD, Organizer 304 $APP_304_LOAD, nginx GET $NGX_GET_LOAD, nginx 304 $NGX_304_LOAD.
EOF
