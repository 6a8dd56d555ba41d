#!/usr/bin/env bash
# The whole test suite: set-up, type check, then every suite; ends with one
# "total: N passed, N failed, N skipped" line and a non-zero exit if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

with_vscode=1
[ "${ALEMBIC_SQUASH_SKIP_VSCODE:-}" = "1" ] && with_vscode=0
if [ $with_vscode = 1 ]; then bash scripts/setup.sh --with-vscode || exit 2; else bash scripts/setup.sh || exit 2; fi

stats=$(mktemp)
export TEST_STATS_FILE="$stats"
status=0
run() { echo; echo "== $1"; shift; "$@" || status=1; }

run "type check" npx tsc -p . --noEmit
run "unit tests" npx mocha --config test/unit/.mocharc.json
run "integration tests (real PostgreSQL, real Alembic)" npx mocha --config test/integration/.mocharc.json
if [ $with_vscode = 1 ]; then
  run "extension tests (real VS Code extension host in code-server)" node --import tsx test/extension/run.ts
  run "UI tests (code-server + Chromium)" npx mocha --config test/ui/.mocharc.json
fi

node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const t = lines.reduce((a, s) => ({ p: a.p + s.passed, f: a.f + s.failed, s: a.s + s.skipped }), { p: 0, f: 0, s: 0 });
  console.log();
  for (const s of lines) console.log(`  ${s.label.padEnd(12)} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  console.log(`total: ${t.p} passed, ${t.f} failed, ${t.s} skipped`);
  if (t.p === 0) process.exit(1);
' "$stats" || status=1
rm -f "$stats"
exit $status
