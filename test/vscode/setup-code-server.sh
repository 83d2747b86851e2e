#!/usr/bin/env bash
# Installs code-server (a real VS Code, served to a browser) from npm into .vscode-test/code-server,
# for the integration tests on machines that cannot download a desktop VS Code.
# code-server 4.100.3 is VS Code 1.100.3, the newest whose Node requirement allows Node 20.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.vscode-test/code-server"
version="4.100.3"
if [ -f "$dest/node_modules/code-server/out/node/entry.js" ]; then
  echo "code-server $version already installed in $dest"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need=()
for pkg in chromium libkrb5-dev ripgrep python3 make g++; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# @vscode/ripgrep downloads ripgrep from GitHub unless its cache holds the archive: Debian's rg works.
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
archive="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$archive" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d)"
  cp "$(command -v rg)" "$tmp/rg"
  tar -czf "$archive" -C "$tmp" rg
  rm -rf "$tmp"
fi

mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{ "name": "mllabs-code-server", "private": true }' > package.json
# code-server refuses to install as root without unsafe-perm; node-pty's install runs npx node-gyp;
# its postinstall (which installs VS Code's own modules) must be allowed to run where npm blocks scripts.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_dangerously_allow_all_scripts=true npm install --no-audit --no-fund --no-save "code-server@$version" >/dev/null
test -f "$dest/node_modules/code-server/out/node/entry.js"
echo "code-server $version installed in $dest"
