#!/usr/bin/env bash
# The main job on the bundled example project (examples/bookshop, 14 revisions with a merged feature
# branch, views, a materialized view, a trigger, an enum, pg_trgm and seed data):
#   graph and check it, prove on a throwaway PostgreSQL that squashing its whole history gives the same
#   schema, seed data and downgrade (Docker if an engine answers, else local PostgreSQL binaries, else the
#   embedded PGlite), then write the snapshot squash (the schema the chain builds, proven equal to it)
#   into a scratch copy, with its size next to the op-merge squash's, and show the result.
# Pass --provider pglite (or docker, local) to choose the back end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cli="node $PWD/dist/cli.js"

# Debian's python3 has Alembic; another python3 may come first on PATH.
if [ -z "${ALEMBIC_SQUASH_PYTHON:-}" ] && /usr/bin/python3 -c 'import alembic' 2>/dev/null; then
  export ALEMBIC_SQUASH_PYTHON=/usr/bin/python3
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/alembic-squash-example-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp -r examples/bookshop "$scratch/bookshop"
cd "$scratch/bookshop"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "alembic-squash graph"
$cli graph
step "alembic-squash check"
$cli check
step "alembic-squash verify --from base --to head $*"
$cli verify --from base --to head "$@"
step "alembic-squash squash --from base --to head --strategy snapshot $*"
$cli squash --from base --to head --strategy snapshot "$@"
step "alembic-squash graph (after the squash)"
$cli graph
