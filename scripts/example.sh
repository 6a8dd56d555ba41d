#!/usr/bin/env bash
# The main job on the bundled example project (examples/bookshop): show its revision graph, check it,
# squash its whole history in a scratch copy, and verify the squash on a throwaway PostgreSQL
# (Docker if an engine answers, else local PostgreSQL binaries, else the embedded PGlite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cli="node dist/cli.js"
example=examples/bookshop

echo; echo "== alembic-squash graph $example"
$cli graph "$example"
echo; echo "== alembic-squash check $example"
$cli check "$example"
