#!/usr/bin/env bash
# Runs every test of Acf: unit, bUnit, WebApplicationFactory and the browser tests in Debian's Chromium.
# Installs what the tests need when it is missing (Debian's chromium; never a browser downloaded by a tool),
# and ends with a plain line "N passed, N failed[, N skipped]" taken from the test results.
source "$(dirname "$0")/lib.sh"

need_packages=()
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
[ -x /usr/sbin/squid ] || need_packages+=(squid)        # the real validator: squid -k parse
[ -x /usr/bin/vtysh ] || need_packages+=(frr)            # the real validator of frr.conf: vtysh -C -f
[ -x /usr/sbin/dnsmasq ] || need_packages+=(dnsmasq-base) # dnsmasq --test -C (the package without the service)
[ -x /usr/sbin/sshd ] || need_packages+=(openssh-server)  # sshd -t -f
[ -x /usr/sbin/chronyd ] || need_packages+=(chrony)       # chronyd -p -f (prints the parsed file or refuses it)
[ -x /usr/bin/bwrap ] || need_packages+=(bubblewrap)        # validators run confined (docs/isolation.md)
[ -x /usr/bin/testparm ] || need_packages+=(samba-common-bin) # testparm -s (Samba's tools without the daemons)
# The lab tier (docs/lab.md): namespace nodes run Debian's builds of Alpine's tools. openrc only adds its commands
# (installing it does not replace the machine's init: checked with apt-get install -s).
[ -x /usr/sbin/openrc ] || need_packages+=(openrc)
[ -x /usr/sbin/ifup ] || need_packages+=(ifupdown-ng)
[ -x /usr/sbin/iptables-restore ] || need_packages+=(iptables)
[ -x /usr/sbin/ipset ] || need_packages+=(ipset)          # the firewall lab: awall's recorded rules name an ipset
[ -x /usr/sbin/ip ] || need_packages+=(iproute2)
[ -x /usr/bin/wg ] || need_packages+=(wireguard-tools)   # the WireGuard lab: wg syncconf, wg show
[ -x /usr/bin/wireguard-go ] || need_packages+=(wireguard-go) # WireGuard in user space (the kernel has no wireguard)
[ -x /usr/bin/socat ] || need_packages+=(socat)
[ -x /usr/bin/nc ] || need_packages+=(netcat-openbsd)
[ -x /usr/bin/curl ] || need_packages+=(curl)
[ -x /usr/bin/ping ] || need_packages+=(iputils-ping)
[ -x /usr/bin/tini ] || need_packages+=(tini)            # a node's PID 1: it reaps, so stopped daemons vanish
[ -x /usr/bin/python3 ] || need_packages+=(python3)     # the lab's web server (python3 -m http.server)
# User-mode-linux nodes (docs/lab.md): a real kernel with GRE and ESP as a process, kmod for its modprobe wrapper,
# and the IPsec daemon the DMVPN lab configures (charon, swanctl, the gcm/openssl plugins).
[ -x /usr/bin/linux.uml ] || need_packages+=(user-mode-linux)
[ -x /usr/bin/kmod ] || need_packages+=(kmod)
[ -x /usr/lib/ipsec/charon ] || need_packages+=(strongswan-charon)
[ -x /usr/sbin/swanctl ] || need_packages+=(strongswan-swanctl)
[ -e /usr/lib/ipsec/plugins/libstrongswan-gcm.so ] || need_packages+=(libstrongswan-standard-plugins)
# The system's Lua 5.4 (Alpine's lua5.4-libs under Debian's name): LuaNativeLibraryTests load it as Alpine would.
[ -e /usr/lib/x86_64-linux-gnu/liblua5.4.so.0 ] || [ "$(uname -m)" != x86_64 ] || need_packages+=(liblua5.4-0)
# acf-helper (the broker and the workers, compiled ahead of time) is linked by the system's C compiler: clang, else gcc.
command -v clang >/dev/null || command -v gcc >/dev/null || need_packages+=(gcc libc6-dev)
install_packages "${need_packages[@]}"

# Debian's sshd -t refuses to check a file while its privilege separation folder is missing (/run is a tmpfs).
[ -d /run/sshd ] || as_root mkdir -p /run/sshd

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

results=$(mktemp -d)
# The tests run the broker and the workers as the published app does: acf-helper (Acf.Helper, compiled ahead of time)
# beside the tests' build, which WorkerLaunch takes when it is there. It goes again at the end, so that a later plain
# `dotnet test` never runs a helper older than the code it tests (without it the app's own executable takes the roles).
tests_bin=Acf.Tests/bin/Debug/net10.0
trap 'rm -rf "$results" "$tests_bin/acf-helper"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
case "$(uname -m)" in aarch64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
dotnet build Acf.sln -nologo -v quiet || exit 1
dotnet publish Acf.Helper/Acf.Helper.csproj -c Release -r "$rid" -o "$results/helper" -nologo -v quiet || exit 1
cp "$results/helper/acf-helper" "$tests_bin/"
status=0
dotnet test Acf.sln --no-build --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "test.sh: no test results were written" >&2
  echo "0 passed, 0 failed"
  exit 1
fi
counter() { grep -o "<Counters [^>]*" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
total=$(counter total); passed=$(counter passed); failed=$(counter failed)
skipped=$(( total - passed - failed ))
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ] || exit 1
