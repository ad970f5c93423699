#!/usr/bin/env bash
# What the broker as a process of its own costs an API read (docs/isolation.md, "Cost"): the published app on the demo
# host, `GET /api/alpine-baselayout/hostname/read` with an API token, p50 at one keep-alive client (wrk, 5 s) and the
# CPU time per request of the app, its broker child and its workers (/proc/PID/stat, summed over the process tree,
# over a 6 s run at 16 clients), for `Acf:Broker:Process` in-process and separate, alternated, RUNS times each.
# Needs wrk, curl, openssl. Everything runs on 127.0.0.1 and is stopped at the end.
#   scripts/broker-cost.sh [APP_DIR] [RUNS]
# APP_DIR: a published app (default: published here first, Release, ReadyToRun, into a temporary folder).
source "$(dirname "$0")/lib.sh"
repo=$(pwd)
work=$(mktemp -d /tmp/acf-broker-cost-XXXXXX)
trap 'rm -rf "$work"' EXIT
app=${1:-}
runs=${2:-3}
if [ -z "$app" ]; then
  app=$work/app
  dotnet publish Acf.Web/Acf.Web.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$app" -v quiet -nologo >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
fi

tree() { echo "$1"; local c; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done; }
ticks() { local s; s=$(cat /proc/"$1"/stat 2>/dev/null) || { echo 0; return; }; s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
role() { tr '\0' ' ' </proc/"$1"/cmdline 2>/dev/null | grep -o -- '--acf-[a-z]*' || echo app; }
snapshot() { local p; for p in $(tree "$1"); do echo "$p $(role "$p") $(ticks "$p")"; done | sort; }

measure() { # MODE PORT
  local mode=$1 port=$2 dir=$work/run-$2 pid id secret hash now token url p50 out n before after
  mkdir -p "$dir/data" && cp -a "$repo/demo" "$dir/data/demo-root"
  id=$(openssl rand -hex 8); secret=$(openssl rand -hex 32); now=$(date +%s)
  hash=$(printf %s "$secret" | sha256sum | cut -d' ' -f1)
  # The token file's format: Acf.Bench/BenchData.cs WriteApiToken.
  echo "$id:root:$hash:$now:$((now + 86400)):ADMIN:bench" >"$dir/data/demo-root/etc/acf/api-tokens"
  chmod 600 "$dir/data/demo-root/etc/acf/api-tokens"
  token="acf_${id}_${secret}"
  (cd "$app" && Acf__System__Mode=demo Acf__Data__Path="$dir/data" Acf__Bootstrap__AdminPassword=bench-admin-pw \
    Acf__Modules__ActionsQueuedPerUser=256 Acf__Broker__Process=$mode ASPNETCORE_URLS=http://127.0.0.1:$port \
    ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 exec setsid dotnet exec "$app/Acf.Web.dll" >"$dir/app.log" 2>&1) &
  pid=$!
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login" || true)" = 200 ] && break; sleep 0.1
  done
  url=http://127.0.0.1:$port/api/alpine-baselayout/hostname/read
  wrk -t1 -c1 -d2s -H "Authorization: Bearer $token" "$url" >/dev/null
  p50=$(wrk -t1 -c1 -d5s --latency -H "Authorization: Bearer $token" "$url" | awk '/^ +50%/{print $2}')
  wrk -t2 -c16 -d2s -H "Authorization: Bearer $token" "$url" >/dev/null
  before=$(snapshot "$pid")
  out=$(wrk -t2 -c16 -d6s -H "Authorization: Bearer $token" "$url")
  after=$(snapshot "$pid")
  n=$(echo "$out" | awk '/requests in/{print $1}')
  echo "$mode p50=$p50 rps=$(echo "$out" | awk '/Requests\/sec/{print $2}') non2xx=$(echo "$out" | awk '/Non-2xx/{x = $NF} END {print x + 0}')" \
    "cpu/request: $(join <(echo "$before") <(echo "$after") | awk -v n="$n" '{d[$2] += $5 - $3; t += $5 - $3}
      END {printf "total=%dus", t * 10000 / n; for (k in d) printf " %s=%dus", k, d[k] * 10000 / n}')" \
    "load=$(cut -d' ' -f1-3 /proc/loadavg)"
  kill -- -"$pid" 2>/dev/null || true; sleep 0.5; kill -9 -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

for run in $(seq "$runs"); do
  measure in-process $((5180 + run * 2))
  measure separate $((5181 + run * 2))
done
