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

# A Docker engine and the fixtures' PostgreSQL images for the Docker tests: an engine that answers, else
# dockerd started here (stopped again on exit), images pulled or built from Debian packages (cached).
# When none can run, the Docker tests are skipped and say why. Only those tests see this engine.
docker_env=$(mktemp)
docker_log=$(mktemp)
trap 'bash scripts/docker/engine.sh stop "$docker_env"; rm -f "$docker_env" "$docker_log"' EXIT
echo; echo "== Docker engine for the Docker back end's tests"
# The images the compose fixtures name (test/support/docker-engine.ts FIXTURE_IMAGES).
if bash scripts/docker/engine.sh start "$docker_env" 2>"$docker_log" \
  && DOCKER_HOST=$(sed -n 's/^DOCKER_HOST=//p' "$docker_env") bash scripts/docker/image.sh postgres:15-bookworm postgres:15.6 2>>"$docker_log"; then
  cat "$docker_log"
  export ALEMBIC_SQUASH_TEST_DOCKER_HOST="$(sed -n 's/^DOCKER_HOST=//p' "$docker_env")"
else
  cat "$docker_log"
  export ALEMBIC_SQUASH_TEST_DOCKER_SKIP="$(tail -n 1 "$docker_log")"
  echo "the Docker tests will be skipped: $ALEMBIC_SQUASH_TEST_DOCKER_SKIP"
fi

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
