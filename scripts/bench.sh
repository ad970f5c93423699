#!/usr/bin/env bash
# Measures Acf and writes docs/PERFORMANCE.md: action latency and throughput over loopback HTTP (wrk), the Squid read
# against plain lua5.4, sandbox start, memory with idle and 50 logged-in circuits, cold start; with the appliance
# runtime settings and with the SDK's defaults; PSS/RSS at idle, per circuit and 60 s after a mixed load (issue 19);
# an empty ASP.NET app and an empty Blazor Server app with MudBlazor (scripts/bench-floors), measured the same way, as
# the runtime's and the stack's floors. Everything runs on 127.0.0.1 and stops by itself (about 13 minutes; --quick
# about 5).
#   scripts/bench.sh [--quick] [--port N] [--load-minutes M]   (port default 5108; mixed load 5 minutes, --quick 0.5)
# Installs lua5.4 and wrk (Debian packages) when they are missing.
source "$(dirname "$0")/lib.sh"

need_packages=()
command -v lua5.4 >/dev/null || need_packages+=(lua5.4)   # the plain-Lua baseline
command -v wrk >/dev/null || need_packages+=(wrk)         # the HTTP load generator (C, so it leaves the CPU to the app)
# acf-helper (the broker and the workers, compiled ahead of time) is linked by the system's C compiler: clang, else gcc.
command -v clang >/dev/null || command -v gcc >/dev/null || need_packages+=(gcc libc6-dev)
install_packages "${need_packages[@]}"
command -v dotnet >/dev/null || { echo "bench.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=$(mktemp -d /tmp/acf-bench-app-XXXXXX)
trap 'rm -rf "$out"' EXIT
echo "bench.sh: publishing the app (Release, ReadyToRun) to $out"
# After a self-contained publish for the same RID (-p:AcfTrimmed=true) the SDK keeps its runtimeconfig.json, which
# names no framework: have it written again.
rm -f Acf.Web/bin/Release/net10.0/linux-x64/Acf.Web.runtimeconfig.json
dotnet publish Acf.Web/Acf.Web.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$out/app" -v quiet -nologo >"$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }
dotnet build Acf.Bench/Acf.Bench.csproj -c Release -o "$out/bench" -v quiet -nologo >"$out/build.log" 2>&1 \
  || { cat "$out/build.log"; exit 1; }

# The floors (scripts/bench-floors/README.md): the smallest ASP.NET app, and Blazor Server with MudBlazor and nothing
# else, with the appliance's runtime settings and the same publish options, copied out of the repository first (so
# its build properties and central package versions do not apply).
cp -r "$(dirname "$0")/bench-floors" "$out/floors"
for floor in EmptyApp EmptyBlazor; do
  dotnet publish "$out/floors/$floor/$floor.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$out/$floor" -v quiet -nologo >"$out/$floor.log" 2>&1 || { cat "$out/$floor.log"; exit 1; }
done
dotnet "$out/bench/Acf.Bench.dll" "$out/app" . docs/PERFORMANCE.md --floor "$out/EmptyApp" --blazor-floor "$out/EmptyBlazor" "$@"
