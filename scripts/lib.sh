# The preamble the scripts share, sourced first: `source "$(dirname "$0")/lib.sh"`. Strict mode, the repository's top
# as the working folder, and the Debian packages a script needs installed when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

script_name=$(basename "$0")

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "$script_name: need root (or sudo) to install: $*" >&2; return 1; fi
}

# install_packages PACKAGE...: installs them with apt-get (nothing when none is named). Installing a daemon must not
# start it: a policy-rc.d that refuses is put in place while apt-get runs when the machine has none.
install_packages() {
  [ $# -gt 0 ] || return 0
  echo "$script_name: installing $*"
  local made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  if [ -n "$made_policy" ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
}
