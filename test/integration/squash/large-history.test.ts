import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseMigration } from '../../../src/core/parse';
import { runCli, runCliJson } from '../../support/cli';
import { writeLargeHistory, type LargeHistory } from '../../support/large-history';
import { clusterUnavailableReason } from '../../support/pg-cluster';

const PYTHON = '/usr/bin/python3';
const env = { ALEMBIC_SQUASH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: '1' };

/** The text of a top-level function of a rendered file. */
function fnText(text: string, fn: 'upgrade' | 'downgrade'): string {
  const f = parseMigration(text)[fn]!;
  return text.slice(f.range.start, f.range.end);
}

describe('the ops strategy on a generated 500-revision history (built CLI, real Alembic)', function () {
  this.timeout(300_000);
  let root: string;
  let history: LargeHistory;
  const copies: string[] = [];

  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-large-'));
    history = writeLargeHistory(root, 500);
  });
  after(() => {
    for (const d of [...copies, root]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  function copy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-large-copy-'));
    fs.cpSync(history.dir, dir, { recursive: true });
    copies.push(dir);
    return dir;
  }

  it('squashes the whole history into one file real Alembic loads; the exec hook is a warning, not a failure', () => {
    const dir = copy();
    const r = runCliJson(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops'], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.plan.members.length, 500);
    assert.match(r.json.warnings.join('\n'), /post_write_hook "ruff" could not run: .*exec/);
    assert.deepEqual(r.json.hooksRun, []);
    const text: string = r.json.file.text;
    assert.deepEqual(parseMigration(text).problems.filter((p) => p.code === 'syntax-error'), []);
    // No mass rename from the local `import sqlalchemy as sa`, no stray docstrings, no lost downgrades.
    assert.doesNotMatch(text, /\bsa_[0-9a-f]{6}\b/);
    assert.equal(r.json.renames.filter((x: { from: string }) => x.from === 'sa' || x.from === 'op').length, 0);
    assert.doesNotMatch(fnText(text, 'upgrade'), /"""Upgrade schema\."""|^\s+"""Add a free-text note/m);
    assert.doesNotMatch(fnText(text, 'downgrade'), /NotImplementedError/);
    assert.equal(r.json.noOpDowngrades.length, 50);
    // Identical helpers once; same-named different ones renamed with their calls.
    const helpers = parseMigration(text).helpers.flatMap((h: { defines: string[] }) => h.defines);
    assert.equal(helpers.filter((h) => h === '_drop_view').length, 1);
    assert.equal(helpers.filter((h) => h.startsWith('_index_name')).length, 50);
    assert.equal(new Set(helpers).size, helpers.length, 'no name defined twice');
    assert.match(parseMigration(text).docstring!.text, /- ([0-9a-f]{12}): INSERT INTO statuses \[raw-sql-dml\]\n- \1: UPDATE statuses \[raw-sql-dml\]/);
    const heads = spawnSync(PYTHON, ['-m', 'alembic', 'heads'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(heads.status, 0, heads.stderr);
    assert.equal(heads.stdout.trim(), `${history.heads[0]} (head)`);
  });

  describe('verify on a local PostgreSQL', () => {
    before(function () {
      const why = clusterUnavailableReason();
      if (why) {
        console.warn(`    skipped: ${why}`);
        this.skip();
      }
    });

    it('the whole history: upgrade, schema, seed data and downgrade equal to the chain', () => {
      const r = runCliJson(['verify', history.dir, '--from', 'base', '--to', 'head', '--provider', 'local'], { env });
      assert.equal(r.status, 0, r.stderr.slice(-2000));
      assert.equal(r.json.equal, true);
      assert.equal(r.json.members.length, 500);
      assert.equal(r.json.downgrade.target, 'base');
      assert.equal(r.json.downgrade.equal, true);
    });

    it('a middle range of 100 revisions with two merged branches: equal, downgrade to its parent', () => {
      const [from, to] = [history.ids[100], history.ids[199]];
      const r = runCliJson(['verify', history.dir, '--from', from, '--to', to, '--provider', 'local'], { env });
      assert.equal(r.status, 0, r.stderr.slice(-2000));
      assert.equal(r.json.equal, true);
      assert.equal(r.json.members.length, 100);
      assert.equal(r.json.downgrade.target, history.ids[99]);
      assert.equal(r.json.downgrade.equal, true);
      // And written: real Alembic still sees one head through the squash.
      const dir = copy();
      const w = runCli(['squash', dir, '--from', from, '--to', to, '--strategy', 'ops', '--no-hooks'], { env });
      assert.equal(w.status, 0, w.stderr);
      const heads = spawnSync(PYTHON, ['-m', 'alembic', 'heads'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
      assert.equal(heads.status, 0, heads.stderr);
      assert.equal(heads.stdout.trim(), `${history.heads[0]} (head)`);
    });
  });
});
