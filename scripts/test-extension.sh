#!/usr/bin/env bash
# Extension tests in a real VS Code (code-server + headless Chromium).
#   scripts/test-extension.sh              install (cached) + build + extension-host suites
#   scripts/test-extension.sh --ui         the same, then the browser-driven UI scenarios
#   scripts/test-extension.sh untrusted    only the named suite(s) (see test/extension/run.ts)
# Env: ALEMBIC_SQUASH_CACHE (install cache), ALEMBIC_SQUASH_VSCODE_TIMEOUT (s per suite, default 600),
#      ALEMBIC_SQUASH_VSCODE_VERBOSE=1 (server and workbench logs), ALEMBIC_SQUASH_TEST_GREP (mocha grep).
set -euo pipefail
cd "$(dirname "$0")/.."

ui=0
suites=()
for arg in "$@"; do
  case "$arg" in
    --ui) ui=1 ;;
    *) suites+=("$arg") ;;
  esac
done

bash scripts/code-server/install.sh >/dev/null
node scripts/build.mjs
status=0
node --import tsx test/extension/run.ts "${suites[@]}" || status=$?
if ((ui)); then
  npx mocha --config test/ui/.mocharc.json || status=$((status ? status : $?))
fi
exit "$status"
