#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with Node 20 and npm:
# Debian packages (PostgreSQL, Python with Alembic), npm packages, and the build.
# Usage: scripts/setup.sh [--with-vscode]   (--with-vscode also caches code-server + Chromium for the editor tests)
set -euo pipefail
cd "$(dirname "$0")/.."

# ALEMBIC_SQUASH_SKIP_APT=1: a test that hides PostgreSQL on purpose must not have it reinstalled.
if [ "${ALEMBIC_SQUASH_SKIP_APT:-}" != "1" ]; then
  need_apt=()
  [ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql-15)
  /usr/bin/python3 -c 'import alembic, sqlalchemy, psycopg2, mako' 2>/dev/null \
    || need_apt+=(python3-alembic python3-sqlalchemy python3-psycopg2 python3-mako)
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${need_apt[*]}"
    sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  fi
fi

# npm packages: reinstall only when the lock file changed since the last install.
stamp=node_modules/.alembic-squash-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

if [ "${1:-}" = "--with-vscode" ]; then
  bash scripts/code-server/install.sh
fi

npm run --silent build
