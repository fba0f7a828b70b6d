# Shared by the load scripts (sourced, not run): logging, free ports, packages, the build, a throwaway PostgreSQL
# cluster. Each script keeps its own cleanup trap, since each starts different things; what these functions start
# is recorded in variables the trap reads (POLICY_RC, PG_DATA and PG_BIN).

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "run as root: packages are installed with apt-get and PostgreSQL runs as the 'postgres' user."
}

# A free loopback port: nothing answers a connection to it, and this run has not handed it out already (a server
# started later would otherwise be given the port of one that is not listening yet).
LOAD_PORTS_GIVEN=" "
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        [[ $LOAD_PORTS_GIVEN == *" $port "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            LOAD_PORTS_GIVEN+="$port "
            echo "$port"
            return 0
        fi
    done
    die "no free port found"
}

# Installs the Debian packages named after each missing command: ensure_packages wrk:wrk nginx:nginx …
# A command given as a path (/usr/sbin/nginx) counts as present when that file is executable. The PostgreSQL server
# is checked by its initdb. Packages must not start their own services (nginx on port 80, a PostgreSQL cluster,
# redis on 6379): a policy-rc.d that refuses them is in place while apt-get runs (POLICY_RC, removed by the trap too).
POLICY_RC=""
ensure_packages() {
    local missing=() pair command package
    for pair in "$@"; do
        command=${pair%%:*}
        package=${pair#*:}
        if [[ $command == postgresql ]]; then
            ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
        elif [[ $command == /* ]]; then
            [[ -x $command ]] || command -v "${command##*/}" >/dev/null 2>&1 || missing+=("$package")
        else
            command -v "$command" >/dev/null 2>&1 || missing+=("$package")
        fi
    done
    ((${#missing[@]} > 0)) || return 0
    log "installing ${missing[*]}"
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        POLICY_RC=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC"
        chmod 755 "$POLICY_RC"
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [[ -n $POLICY_RC ]]; then rm -f "$POLICY_RC"; POLICY_RC=""; fi
}

# Sets PG_BIN and PSQL to the newest installed PostgreSQL server.
find_postgres() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    PSQL="$PG_BIN/psql"
}

# Builds the data generator and publishes the API in Release into $WORK/api (logs in $WORK).
build_api_and_generator() {
    command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"
    dotnet build "$ROOT/tests/Organizer.DataGenerator/Organizer.DataGenerator.csproj" -c Release -nologo -v q >"$WORK/build.log" 2>&1 \
        || { tail -n 30 "$WORK/build.log" >&2; die "building the data generator failed"; }
    dotnet publish "$ROOT/src/Organizer.Api/Organizer.Api.csproj" -c Release -nologo -v q -o "$WORK/api" >"$WORK/publish.log" 2>&1 \
        || { tail -n 30 "$WORK/publish.log" >&2; die "publishing the API failed"; }
}

# The options every throwaway cluster runs with: nothing here needs to survive a crash.
PG_THROWAWAY_OPTIONS="-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"

# start_throwaway_cluster <directory> <port>: initdb (trust, UTF-8) into <directory>/data as 'postgres' and start it
# on 127.0.0.1:<port>, its socket and log in <directory>. Sets PG_DATA, which the cleanup trap stops.
start_throwaway_cluster() {
    local dir=$1 port=$2
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    PG_DATA="$dir/data"
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir $PG_THROWAWAY_OPTIONS" start >/dev/null
}

# stop_cluster <data directory>: fast, then immediate if that does not finish within 30 s.
stop_cluster() {
    [[ -n $1 && -f $1/postmaster.pid ]] || return 0
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1" -m fast -w -t 30 stop >/dev/null 2>&1 \
        || runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1" -m immediate -w -t 10 stop >/dev/null 2>&1
}

# stop_process <pid> <signal> [seconds]: signal it, wait up to [seconds] (10) for it to exit, then SIGKILL.
stop_process() {
    local pid=$1 signal=$2 limit=${3:-10}
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -"$signal" "$pid" 2>/dev/null
    for _ in $(seq 1 $((limit * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# wait_for_200 <url> <pid> <what> [seconds]: until the URL answers 200, failing if the process exits first.
wait_for_200() {
    local url=$1 pid=$2 what=$3 limit=${4:-60}
    for _ in $(seq 1 $((limit * 4))); do
        kill -0 "$pid" 2>/dev/null || die "$what exited"
        [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]] && return 0
        sleep 0.25
    done
    die "$what did not answer 200 on $url within $limit s"
}

# The load average (1, 5, 15 min) as 1.23/1.00/0.90; the machine may be shared.
load_average() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }

# With QUIET_LOAD set (e.g. 1.0), wait up to QUIET_WAIT seconds (600) for the 1-minute load to drop below it.
wait_quiet() {
    [[ -n ${QUIET_LOAD:-} ]] || return 0
    local waited=0
    until awk -v limit="$QUIET_LOAD" '{ exit !($1 < limit) }' /proc/loadavg; do
        if ((waited >= ${QUIET_WAIT:-600})); then
            log "    load still $(load_average) after ${waited} s; measuring anyway"
            return 0
        fi
        sleep 10
        waited=$((waited + 10))
    done
    ((waited == 0)) || log "    waited ${waited} s for the load to drop below $QUIET_LOAD"
}

# wrk's duration (60s, 2m, 60) in seconds.
seconds_of() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; if (d ~ /h$/) n *= 3600; print n }'; }

# Serves one file as nginx would any static feed: the baseline the API's cached feeds are measured against. Usage:
# start_static_nginx DIR FILE URL_PATH; DIR is nginx's own (config, logs, root), FILE is copied to URL_PATH under its
# root. Sets NGINX_PORT, NGINX_PID and STATIC (the file's URL) and returns once nginx serves it.
start_static_nginx() {
    local dir=$1 file=$2 path=$3
    NGINX_PORT=$(free_port)
    mkdir -p "$dir/www$(dirname "$path")" "$dir/temp"
    cp "$file" "$dir/www$path"
    chmod -R a+rX "$dir/www"
    cat >"$dir/nginx.conf" <<NGINX_CONF
daemon off;
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    types { text/calendar ics; }
    charset utf-8;
    charset_types text/calendar;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $dir/www;
        etag on;
        location / { add_header Cache-Control "public, max-age=300, stale-if-error=86400"; }
    }
}
NGINX_CONF
    "$NGINX" -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || die "nginx rejects its configuration"
    "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
    NGINX_PID=$!
    STATIC="http://127.0.0.1:$NGINX_PORT$path"
    for _ in $(seq 1 50); do
        [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$STATIC" || true) == 200 ]] && return 0
        kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited (see $dir/error.log)"
        sleep 0.1
    done
    die "nginx does not serve $path"
}

# Issues an organization token through the admin API and prints it. Usage: issue_token APP ADMIN_TOKEN ORG LABEL.
issue_token() {
    local app=$1 admin=$2 org=$3 label=$4 token
    token=$(curl -sf -m 30 -X POST "$app/api/organizations/$org/tokens" -H "Authorization: Bearer $admin" \
        -H 'Content-Type: application/json' -d "{\"label\":\"$label\"}" | jq -r .token) || die "issuing a token for $org failed"
    [[ -n $token && $token != null ]] || die "no token in the answer for $org"
    printf '%s\n' "$token"
}
