#!/usr/bin/env bash
# Creates per second against the API on its embedded PostgreSQL (issue 12).
#
#   sudo bash tests/load/writes.sh                   (as root: it installs wrk and runs PostgreSQL as 'postgres')
#   sudo env EVENTS=10000 DURATION=10s bash tests/load/writes.sh      (a quick run)
#
# In one run it:
#   1. builds the API (Release) and the data generator from SOURCE (default: this checkout);
#   2. prepares a template of the embedded database holding EVENTS events and ORGANIZATIONS organizations, once: the
#      API itself creates the cluster (its own initdb, password and settings: src/Organizer.Infrastructure/Postgres/
#      LocalPostgresCluster.cs) in a fresh Organizer:Database:DataDirectory and migrates it; then the script starts
#      that cluster itself, durability off and more memory while it loads, runs tests/Organizer.DataGenerator against
#      it with the cluster's password, stops it cleanly and keeps the directory as TEMPLATE. Later runs with the same
#      EVENTS, ORGANIZATIONS and migrations reuse it;
#   3. copies the template into a new data directory, so that every run starts from the same state, and starts
#      `dotnet run -c Release --project src/Organizer.Api` on it with no connection string: the embedded cluster, with
#      its normal durable settings (fsync on);
#   4. issues one organization token for each of TOKENS organizations through the admin API (the admin token is
#      Organizer:AdminToken, random per run), and sends one write by hand, which must answer 201;
#   5. runs wrk for DURATION with CONNECTIONS connections in a closed loop, posting valid, distinct events (wrk/
#      writes.lua: unique titles, dates over 2027-2028, timed and all-day, places, co-organizers, the tokens in turn);
#   6. prints throughput, p50/p90/p99 latency, the non-2xx count, the API's VmRSS and VmHWM right after the load
#      and after SETTLE seconds, the GC mode, and the new rows in events; then stops and deletes what it started.
#
# Settings (environment):
#   EVENTS (1000000), ORGANIZATIONS (EVENTS / 100, at most 10000), DURATION (30s), CONNECTIONS (8), THREADS (2: wrk -t),
#   TOKENS (8: organizations writing, one token each), IDEMPOTENCY_KEYS (0; 1 sends its own Idempotency-Key with each
#   request, which adds the middleware's claim and keep statements, each committed on its own), WARMUP (30s: a first wrk run, not counted, so that the JIT has tiered up the hot path; 0 skips it),
#   SETTLE (5: seconds between the load and the second RSS reading), TIMEOUT (10s: wrk's --timeout),
#   SOURCE (the checkout whose API is measured; default this one: e.g. a `git worktree` of another commit; the
#   script, the wrk script and the template logic stay this checkout's), TEMPLATE_ROOT (/var/tmp/organizer-writes-
#   templates: kept between runs, several GB at 1M events), KEEP_DIR (/tmp/organizer-load-results/writes-<time>),
#   QUIET_LOAD / QUIET_WAIT (wait for the 1-minute load average to drop below QUIET_LOAD, at most QUIET_WAIT s).
#   GC and runtime settings go to the API as they are: DOTNET_gcServer, DOTNET_GCHeapHardLimit (hex, e.g. 0xC800000 =
#   200 MB), DOTNET_GCHeapHardLimitPercent, DOTNET_GCDynamicAdaptationMode (DATAS, on by default with Server GC since
#   .NET 9; 0 turns it off), DOTNET_GCHeapCount, DOTNET_GCConserveMemory, DOTNET_GCgen0size,
#   DOTNET_EnableWriteXorExecute (0: JIT code mapped once instead of twice), DOTNET_TieredPGO.
set -euo pipefail

GC_SETTINGS=(DOTNET_gcServer DOTNET_GCHeapHardLimit DOTNET_GCHeapHardLimitPercent DOTNET_GCDynamicAdaptationMode DOTNET_GCHeapCount DOTNET_GCConserveMemory DOTNET_GCgen0size DOTNET_EnableWriteXorExecute DOTNET_TieredPGO)
COMMAND_LINE=""
for setting in EVENTS ORGANIZATIONS DURATION CONNECTIONS THREADS TOKENS IDEMPOTENCY_KEYS WARMUP SETTLE TIMEOUT SOURCE TEMPLATE_ROOT KEEP_DIR QUIET_LOAD QUIET_WAIT "${GC_SETTINGS[@]}"; do
    if [[ -n ${!setting+x} ]]; then COMMAND_LINE+="$setting=$(printf %q "${!setting}") "; fi
done
COMMAND_LINE+="bash tests/load/writes.sh"

EVENTS=${EVENTS:-1000000}
ORGANIZATIONS=${ORGANIZATIONS:-$(((EVENTS / 100) > 10000 ? 10000 : ((EVENTS / 100) < 20 ? 20 : EVENTS / 100)))}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
TOKENS=${TOKENS:-8}
IDEMPOTENCY_KEYS=${IDEMPOTENCY_KEYS:-0}
WARMUP=${WARMUP:-30s}
SETTLE=${SETTLE:-5}
TIMEOUT=${TIMEOUT:-10s}
TEMPLATE_ROOT=${TEMPLATE_ROOT:-/var/tmp/organizer-writes-templates}
STAMP=$(date +%Y%m%d-%H%M%S)
KEEP_DIR=${KEEP_DIR:-/tmp/organizer-load-results/writes-$STAMP}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SOURCE=$(cd "${SOURCE:-$ROOT}" && pwd)
LUA_DIR="$ROOT/tests/load/wrk"
# shellcheck source=tests/load/lib.sh
source "$ROOT/tests/load/lib.sh"

require_root
[[ $DURATION =~ ^[0-9]+[smh]?$ ]] || die "DURATION must look like 30s, 2m or 30"
[[ $WARMUP == 0 || $WARMUP =~ ^[0-9]+[smh]?$ ]] || die "WARMUP must look like 5s, or 0"
((CONNECTIONS >= 1 && THREADS >= 1 && TOKENS >= 1)) || die "CONNECTIONS, THREADS and TOKENS must be at least 1"
[[ $IDEMPOTENCY_KEYS == 0 || $IDEMPOTENCY_KEYS == 1 ]] || die "IDEMPOTENCY_KEYS must be 0 or 1"
((THREADS <= CONNECTIONS)) || THREADS=$CONNECTIONS
[[ -f $SOURCE/src/Organizer.Api/Organizer.Api.csproj ]] || die "SOURCE ($SOURCE) is not a checkout of this repository"

# ---------------------------------------------------------------------------------------------------------------
# Everything this run starts is recorded here and undone on exit, whatever happens.
WORK=""
RUN_DIR=""
APP_PID=""      # `dotnet run`
SERVER_PID=""   # the API process it started (the one listening)
BUILD_PID=""
PG_DATA=""      # a cluster this script started itself (while filling the template)
PG_BIN=""
POLICY_RC=""
WRK_PID=""

# stop_api: SIGTERM the API (it stops its embedded cluster on the way out), then `dotnet run`.
stop_api() {
    # (|| true: stop_process's last kill fails once the process is gone, which set -e would take for an error.)
    if [[ -n $SERVER_PID ]]; then stop_process "$SERVER_PID" TERM 30 || true; SERVER_PID=""; fi
    if [[ -n $APP_PID ]]; then stop_process "$APP_PID" TERM 10 || true; APP_PID=""; fi
}

cleanup() {
    local status=$?
    set +e
    [[ -n $WRK_PID ]] && kill -TERM "$WRK_PID" 2>/dev/null
    stop_api
    stop_cluster "$PG_DATA"
    # The API stops the embedded cluster itself; this is for an API that was killed or never got that far.
    [[ -n $RUN_DIR ]] && stop_cluster "$RUN_DIR/data"
    [[ -n $RUN_DIR ]] && rm -rf "$RUN_DIR"
    [[ -n $POLICY_RC ]] && rm -f "$POLICY_RC"
    if [[ -n $WORK && -d $WORK ]]; then
        mkdir -p "$KEEP_DIR"
        cp "$WORK"/*.log "$WORK"/wrk-*.txt "$WORK"/result.md "$KEEP_DIR"/ 2>/dev/null
        rm -rf "$WORK"
        log "kept the API log, wrk output and the table in $KEEP_DIR"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
log "1/6 tools and build ($SOURCE)"
ensure_packages wrk:wrk curl:curl jq:jq ss:iproute2 postgresql
find_postgres
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"
WORK=$(mktemp -d /tmp/organizer-writes.XXXXXX)
chmod 755 "$WORK"
dotnet build "$SOURCE/src/Organizer.Api/Organizer.Api.csproj" -c Release -nologo -v q >"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log" >&2; die "building the API failed"; }
dotnet build "$SOURCE/tests/Organizer.DataGenerator/Organizer.DataGenerator.csproj" -c Release -nologo -v q >>"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log" >&2; die "building the data generator failed"; }
GENERATOR="$SOURCE/tests/Organizer.DataGenerator/bin/Release/net10.0/Organizer.DataGenerator.dll"
ADMIN_TOKEN="admin.writes-$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"

# start_api <data directory> <port> <log> [env…]: `dotnet run` on the embedded database in that directory. Sets
# APP_PID, SERVER_PID (the process listening on the port) and APP, and returns once /health/ready answers 200.
start_api() {
    local dir=$1 port=$2 logfile=$3
    shift 3
    (
        cd "$SOURCE"
        # No launch profile: it would set ASPNETCORE_ENVIRONMENT=Development and its own URL.
        exec env "$@" \
            ASPNETCORE_URLS="http://127.0.0.1:$port" \
            Organizer__Database__DataDirectory="$dir" \
            Organizer__Database__SeedOnStartup=false \
            Organizer__AdminToken="$ADMIN_TOKEN" \
            Organizer__RateLimits__WritesPerMinute=100000000 \
            Logging__LogLevel__Default=Warning \
            Logging__LogLevel__Organizer.Infrastructure.EmbeddedDatabase=Information \
            Logging__Console__TimestampFormat="HH:mm:ss.fff " \
            dotnet run --no-build --no-launch-profile -c Release --project src/Organizer.Api
    ) >"$logfile" 2>&1 &
    APP_PID=$!
    APP="http://127.0.0.1:$port"
    local ready=""
    for _ in $(seq 1 240); do
        kill -0 "$APP_PID" 2>/dev/null || { tail -n 40 "$logfile" >&2; die "the API exited"; }
        if [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$APP/health/ready" || true) == 200 ]]; then ready=1; break; fi
        sleep 0.5
    done
    [[ -n $ready ]] || { tail -n 40 "$logfile" >&2; die "the API was not ready within 120 s"; }
    SERVER_PID=$(ss -Hltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
    [[ -n $SERVER_PID ]] || die "no process listens on port $port"
}

# The embedded cluster's port (postmaster.pid, line 4) and password (beside data/), as the launcher keeps them.
cluster_connection() {
    local dir=$1
    local port
    port=$(sed -n 4p "$dir/data/postmaster.pid")
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(cat "$dir/password");Database=postgres"
}

# ---------------------------------------------------------------------------------------------------------------
# The template: one per data set and schema (the migrations' source), made once.
SCHEMA=$(cat "$SOURCE"/migrations/Migrations/*.cs | sha1sum | cut -c1-10)
TEMPLATE="$TEMPLATE_ROOT/e$EVENTS-o$ORGANIZATIONS-$SCHEMA"
if [[ ! -f $TEMPLATE.ready ]]; then
    log "2/6 making the template $TEMPLATE ($EVENTS events, $ORGANIZATIONS organizations; at 1M events this takes 10-20 minutes)"
    mkdir -p "$TEMPLATE_ROOT"
    chmod 755 "$TEMPLATE_ROOT"
    rm -rf "$TEMPLATE"
    # The API creates and migrates the cluster exactly as it would on a first start, then stops it.
    start_api "$TEMPLATE" "$(free_port)" "$WORK/template-api.log"
    stop_api
    [[ ! -f $TEMPLATE/data/postmaster.pid ]] || die "the API left its cluster running in $TEMPLATE"
    # Loading is faster without durability and with more memory; the clean stop below writes everything out.
    PG_PORT=$(free_port)
    PG_DATA="$TEMPLATE/data"
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$TEMPLATE/generate.log" -w -t 60 \
        -o "-p $PG_PORT -k $TEMPLATE $PG_THROWAWAY_OPTIONS -c shared_buffers=1GB -c maintenance_work_mem=512MB -c max_wal_size=8GB" start >/dev/null
    dotnet "$GENERATOR" --connection "$(cluster_connection "$TEMPLATE")" --events "$EVENTS" --organizations "$ORGANIZATIONS" \
        | sed 's/^/    /' >&2
    PGPASSWORD=$(cat "$TEMPLATE/password") "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -X -q -c CHECKPOINT
    stop_cluster "$PG_DATA"
    PG_DATA=""
    rm -f "$TEMPLATE/generate.log"
    sync
    touch "$TEMPLATE.ready"
else
    log "2/6 reusing the template $TEMPLATE"
fi

# ---------------------------------------------------------------------------------------------------------------
log "3/6 copying the template ($(du -sh "$TEMPLATE" | cut -f1)) and starting the API"
RUN_DIR=$(mktemp -d /var/tmp/organizer-writes-run.XXXXXX)
rm -rf "$RUN_DIR"
cp -a "$TEMPLATE" "$RUN_DIR"
APP_PORT=$(free_port)
gc_env=()
for setting in "${GC_SETTINGS[@]}"; do
    if [[ -n ${!setting:-} ]]; then gc_env+=("$setting=${!setting}"); fi
done
start_api "$RUN_DIR" "$APP_PORT" "$WORK/api.log" "${gc_env[@]}"
sql() { PGPASSWORD=$(cat "$RUN_DIR/password") "$PSQL" -h 127.0.0.1 -p "$(sed -n 4p "$RUN_DIR/data/postmaster.pid")" -U postgres -d postgres -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# What the process runs with: Server GC makes one heap (and one thread) per core, named ".NET Server GC"; the
# runtimeconfig.json says what the build asked for, the environment what this run overrides.
RUNTIME_CONFIG="$SOURCE/src/Organizer.Api/bin/Release/net10.0/Organizer.Api.runtimeconfig.json"
CONFIGURED_GC=$(jq -c '.runtimeOptions.configProperties // {} | with_entries(select(.key | startswith("System.GC")))' "$RUNTIME_CONFIG")
cat /proc/"$SERVER_PID"/task/*/comm 2>/dev/null | sort | uniq -c >"$WORK/threads.log" || true
GC_THREADS=$(cat /proc/"$SERVER_PID"/task/*/comm 2>/dev/null | grep -c 'Server GC' || true)
if ((GC_THREADS > 0)); then GC_MODE="Server GC ($GC_THREADS server GC threads)"; else GC_MODE="Workstation GC (no server GC threads)"; fi
GC_ENV_TEXT=$(printf '%s ' "${gc_env[@]}")
GC_TEXT="$GC_MODE; runtimeconfig $CONFIGURED_GC; environment: ${GC_ENV_TEXT:-none}"
log "    API pid $SERVER_PID on $APP; $GC_TEXT"

# ---------------------------------------------------------------------------------------------------------------
log "4/6 tokens for $TOKENS organizations"
# The writers' organizations, and others to be named as co-organizers (never a writer: the host listed twice is a 400).
mapfile -t ORGS < <(sql "SELECT slug FROM organizations ORDER BY id LIMIT $((TOKENS + 40))")
((${#ORGS[@]} > TOKENS)) || die "fewer than $((TOKENS + 1)) organizations"
TOKEN_LIST=()
for org in "${ORGS[@]:0:TOKENS}"; do
    TOKEN_LIST+=("$(issue_token "$APP" "$ADMIN_TOKEN" "$org" "writes.sh")")
done
CO_ORGS="${ORGS[*]:TOKENS}"
# Places public events already use: every organization may name them.
PLACES=$(sql "SELECT p.slug FROM places p WHERE EXISTS (SELECT 1 FROM events e WHERE e.place_id = p.id AND e.visibility = 'Public') ORDER BY p.id LIMIT 50" | tr '\n' ' ')
RUN_ID="r$STAMP"
check_body=$(printf '{"title":"Writes %s check","kind":"rally","allDay":false,"start":"2027-01-01T18:00:00","end":"2027-01-01T19:00:00","timeZone":"America/Toronto","place":"%s","organizations":[{"slug":"%s","role":"co-organizer"}]}' \
    "$RUN_ID" "${PLACES%% *}" "${CO_ORGS%% *}")
code=$(curl -s -m 30 -o "$WORK/check.json" -D "$WORK/check.headers" -w '%{http_code}' -X POST "$APP/api/events" \
    -H "Authorization: Bearer ${TOKEN_LIST[0]}" -H 'Content-Type: application/json' -d "$check_body")
[[ $code == 201 ]] || { cat "$WORK/check.json" >&2; echo >&2; die "a test write answered $code, not 201"; }
grep -qi '^location:' "$WORK/check.headers" && grep -qi '^etag:' "$WORK/check.headers" || die "the test write's 201 has no Location or ETag"

export LUA_DIR RUN_ID PLACES CO_ORGS IDEMPOTENCY_KEYS
export WRITE_TOKENS="${TOKEN_LIST[*]}"
LIMIT=$(($(seconds_of "$DURATION") + $(seconds_of "$WARMUP") + 60))
run_wrk() { timeout "$LIMIT" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --timeout "$TIMEOUT" -s "$LUA_DIR/writes.lua" "$APP" >"$WORK/wrk-$2.txt" 2>&1; }
if [[ $WARMUP != 0 ]]; then
    log "    warm-up: $WARMUP"
    RUN_ID="${RUN_ID}w" run_wrk "$WARMUP" warmup || { cat "$WORK/wrk-warmup.txt" >&2; die "wrk (warm-up) failed"; }
fi

# ---------------------------------------------------------------------------------------------------------------
wait_quiet
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status"; }
# What the resident memory is: anonymous (heaps, GC, JIT code, stacks) and file-backed (mapped assemblies and
# libraries, which the kernel can drop and share).
rss_parts() { awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^RssShmem:/ { s = $2 } END { printf "anonymous %.0f MB, files %.0f MB, shared memory %.0f MB", a / 1024, f / 1024, s / 1024 }' "/proc/$SERVER_PID/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
# CPU time (user + system, in clock ticks) of the API, and of PostgreSQL: the postmaster and its children, those that
# exited included (cutime/cstime). Per create, it says what each side costs whatever else the machine runs.
TICKS=$(getconf CLK_TCK)
PG_PID=$(sed -n 1p "$RUN_DIR/data/postmaster.pid")
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
api_ticks() { cpu_ticks "$SERVER_PID"; }
pg_ticks() {
    local total=0 pid
    total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$PG_PID/stat")
    for pid in $(ps -o pid= --ppid "$PG_PID"); do total=$((total + $(cpu_ticks "$pid"))); done
    echo "$total"
}
EVENTS_BEFORE=$(sql "SELECT count(*) FROM events")
API_TICKS_BEFORE=$(api_ticks)
PG_TICKS_BEFORE=$(pg_ticks)
RSS_BEFORE=$(rss_kb)
LOAD_BEFORE=$(load_average)
STARTED_AT=$(date +%H:%M:%S)
log "5/6 load: $CONNECTIONS connections, $THREADS wrk threads, $DURATION (RSS $(mb "$RSS_BEFORE") MB, load $LOAD_BEFORE)"
run_wrk "$DURATION" load &
WRK_PID=$!
wait "$WRK_PID" || { WRK_PID=""; cat "$WORK/wrk-load.txt" >&2; die "wrk failed"; }
WRK_PID=""
API_TICKS_AFTER=$(api_ticks)
PG_TICKS_AFTER=$(pg_ticks)
RSS_END=$(rss_kb)
HWM_END=$(hwm_kb)
LOAD_AFTER=$(load_average)
ENDED_AT=$(date +%H:%M:%S)
grep -q '^RESULT ' "$WORK/wrk-load.txt" || { cat "$WORK/wrk-load.txt" >&2; die "wrk printed no result"; }

log "6/6 settling $SETTLE s"
sleep "$SETTLE"
RSS_AFTER=$(rss_kb)
HWM_AFTER=$(hwm_kb)
RSS_PARTS=$(rss_parts)
EVENTS_AFTER=$(sql "SELECT count(*) FROM events")
LOG_FAIL=$(grep -c 'fail:' "$WORK/api.log" || true)
LOG_WARN=$(grep -c 'warn:' "$WORK/api.log" || true)

# RESULT <requests> <seconds> <errors> <status errors> <socket errors> <p50> <p99> <max> <mean> <bytes> (summary.lua)
read -r REQ SEC ERR STATUS_ERR SOCK_ERR P50 P99 MAX MEAN BYTES <<<"$(awk '$1 == "RESULT" { print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$WORK/wrk-load.txt")"
read -r _ P90 _ P999 <<<"$(awk '$1 == "PERCENTILES" { print $2, $3, $4, $5 }' "$WORK/wrk-load.txt")"
STATUSES=$(awk '$1 == "STATUSES" { $1 = ""; sub(/^ /, ""); print }' "$WORK/wrk-load.txt")
CREATED=$(awk '$1 == "STATUSES" { for (i = 2; i <= NF; i++) { split($i, p, ":"); if (p[1] == 201) n += p[2] } } END { print n + 0 }' "$WORK/wrk-load.txt")
NON_2XX=$(awk '$1 == "STATUSES" { for (i = 2; i <= NF; i++) { split($i, p, ":"); if (p[1] < 200 || p[1] > 299) n += p[2] } } END { print n + 0 }' "$WORK/wrk-load.txt")
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }'; }
ms() { awk -v v="$1" 'BEGIN { printf (v >= 100 ? "%.0f ms" : "%.1f ms"), v }'; }
verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "met" : "**NOT met**") }'; }
RATE=$(rate "$CREATED" "$SEC")
WARMUP_TEXT="none"
if [[ -f $WORK/wrk-warmup.txt ]]; then
    WARMUP_TEXT=$(awk '$1 == "RESULT" { n = $2; s = $3 } $1 == "STATUSES" { $1 = ""; st = $0 } END { printf "%d requests (%.0f/s), statuses%s", n, (s > 0 ? n / s : 0), st }' "$WORK/wrk-warmup.txt")
fi
# CPU ms per answered request (the requests still in flight when wrk stopped are counted in the CPU, not here).
per_request() { awk -v t="$1" -v hz="$TICKS" -v n="$REQ" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }'; }
API_CPU=$(per_request $((API_TICKS_AFTER - API_TICKS_BEFORE)))
PG_CPU=$(per_request $((PG_TICKS_AFTER - PG_TICKS_BEFORE)))
CPU_SHARE=$(awk -v a=$((API_TICKS_AFTER - API_TICKS_BEFORE)) -v p=$((PG_TICKS_AFTER - PG_TICKS_BEFORE)) -v hz="$TICKS" -v s="$SEC" -v c="$(nproc)" \
    'BEGIN { printf "%.0f %% of %d cores (API %.0f %%, PostgreSQL %.0f %%)", 100 * (a + p) / hz / s / c, c, 100 * a / hz / s / c, 100 * p / hz / s / c }')

cat >"$WORK/result.md" <<EOF

Creates on the embedded PostgreSQL ($EVENTS events, $ORGANIZATIONS organizations at the start; fsync on): $CONNECTIONS connections (wrk -t$THREADS, closed loop), $DURATION after a $WARMUP warm-up, $TOKENS organizations' tokens in turn, $( ((IDEMPOTENCY_KEYS)) && echo "an Idempotency-Key on every request" || echo "no Idempotency-Key"), --timeout $TIMEOUT.
API: \`dotnet run -c Release --project src/Organizer.Api\` from $SOURCE, commit $(git -C "$SOURCE" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$SOURCE" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ modified)'). GC: $GC_TEXT.
Machine: $(nproc) cores; load average (1/5/15 min) $LOAD_BEFORE before, $LOAD_AFTER after (load from $STARTED_AT to $ENDED_AT), $(date -u '+%Y-%m-%d %H:%M UTC').

| Creates | Requests | creates/s (201) | non-2xx | socket errors | p50 | p90 | p99 | p99.9 | max |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| POST /api/events | $REQ | $RATE | $NON_2XX | $SOCK_ERR | $(ms "$P50") | $(ms "$P90") | $(ms "$P99") | $(ms "$P999") | $(ms "$MAX") |

| Check | Target | Measured | Result |
| --- | --- | --- | --- |
| Throughput | ≥ 500 creates/s | $RATE/s ($CREATED created; statuses $STATUSES; $((EVENTS_AFTER - EVENTS_BEFORE)) new rows in events) | $(verdict "$(awk -v r="$RATE" 'BEGIN { print (r >= 500) }')") |
| p99 | ≤ 50 ms | $(ms "$P99") | $(verdict "$(awk -v v="$P99" 'BEGIN { print (v <= 50) }')") |
| Errors | 0 | $NON_2XX non-2xx, $SOCK_ERR socket | $(verdict "$((NON_2XX + SOCK_ERR == 0 ? 1 : 0))") |
| API RSS after $SETTLE s | ≤ 300 MB | $(mb "$RSS_AFTER") MB (before the load $(mb "$RSS_BEFORE"), at its end $(mb "$RSS_END"); VmHWM $(mb "$HWM_END") → $(mb "$HWM_AFTER") MB; after: $RSS_PARTS) | $(verdict "$(awk -v kb="$RSS_AFTER" 'BEGIN { print (kb <= 300 * 1024) }')") |
| CPU per request (user + system) | – | API $API_CPU ms, PostgreSQL $PG_CPU ms; during the load they used $CPU_SHARE | – |
| Warm-up ($WARMUP, not counted) | – | $WARMUP_TEXT | – |
| API log | – | $LOG_FAIL \`fail:\`, $LOG_WARN \`warn:\` lines | – |

Command: $COMMAND_LINE
EOF
cat "$WORK/result.md"
if ((NON_2XX > 0)); then
    echo
    echo "First refusals (wrk/writes.lua prints a few per thread):"
    grep '^ANSWER ' "$WORK/wrk-load.txt" | head -n 6
fi
if ((LOG_FAIL + LOG_WARN > 0)); then
    echo
    echo "First fail:/warn: lines of the API log:"
    grep -A3 -E 'fail:|warn:' "$WORK/api.log" | head -n 30
fi
