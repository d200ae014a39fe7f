#!/usr/bin/env bash
# Installs what @pcap needs on a Debian/Ubuntu machine (as root), then installs the
# workspace's dependencies and builds every package. Safe to run again: each step is
# skipped when already done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]" 2>/dev/null || echo 12.4.2)

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# libpcap-dev and a compiler build the binding; tcpdump, tshark, iproute2 and curl are the
# peers, namespace tooling and traffic the tests use; python3-scapy regenerates fixtures;
# GNU time measures peak memory in the benchmarks; chromium is the browser the `pcap serve`
# tests drive; valgrind checks the binding for invalid access and leaks.
for p in libpcap-dev build-essential python3 tcpdump tshark iproute2 python3-scapy curl time chromium valgrind; do
  have_pkg "$p" || need_apt+=("$p")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${need_apt[*]}; run as root or: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! command -v node >/dev/null 2>&1; then
  echo "setup: Node.js 20 or newer is required (https://nodejs.org or your distribution's nodejs package)" >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $(node --version) is too old; @pcap needs 20 or newer" >&2
  exit 1
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null
fi

# node-gyp builds against the headers Node ships in /usr/include/node when they are there,
# instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ]; then
  export npm_config_nodedir=/usr
fi

CI=true pnpm install --frozen-lockfile
pnpm run build
