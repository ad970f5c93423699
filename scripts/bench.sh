#!/usr/bin/env bash
# Measures Acf and writes docs/PERFORMANCE.md: action latency and throughput over loopback HTTP (wrk), the Squid read
# against plain lua5.4, sandbox start, memory with idle and 50 logged-in circuits, cold start; with the appliance
# runtime settings and with the SDK's defaults; PSS/RSS at idle, per circuit and 60 s after a mixed load (issue 19);
# an empty ASP.NET app built here in a temporary folder, measured the same way, as the runtime's floor. Everything
# runs on 127.0.0.1 and stops by itself (about 12 minutes; --quick about 4).
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

# The floor: the smallest ASP.NET app, with the appliance's runtime settings and the same publish options, outside the
# solution (its own folder under $out, so the repository's build props and central package versions do not apply).
mkdir -p "$out/empty-src"
cat >"$out/empty-src/EmptyApp.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <ServerGarbageCollection>false</ServerGarbageCollection>
    <ConcurrentGarbageCollection>false</ConcurrentGarbageCollection>
    <InvariantGlobalization>true</InvariantGlobalization>
    <TieredPGO>false</TieredPGO>
  </PropertyGroup>
</Project>
PROJECT
cat >"$out/empty-src/Program.cs" <<'PROGRAM'
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/login", () => Results.Content("<!DOCTYPE html><title>login</title>", "text/html"));
app.MapGet("/api/read", () => Results.Json(new { type = "text", value = "alpine" }));
app.Run();
PROGRAM
dotnet publish "$out/empty-src/EmptyApp.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$out/empty" -v quiet -nologo >"$out/empty.log" 2>&1 || { cat "$out/empty.log"; exit 1; }
dotnet "$out/bench/Acf.Bench.dll" "$out/app" . docs/PERFORMANCE.md --floor "$out/empty" "$@"
