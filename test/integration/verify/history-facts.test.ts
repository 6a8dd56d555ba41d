// Real histories that verify and the squash must take as they are: branches whose revisions Alembic
// runs in its own order (a table both branches changed gets its columns in that order), and a
// history declared irreversible (a downgrade that raises). Fixture: test/fixtures/branch-order.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { FIXTURES } from './support';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const PROJECT = path.join(FIXTURES, 'branch-order');
const PYTHON = '/usr/bin/python3';

function cli(args: string[]): { status: number | null; json: Record<string, any>; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ALEMBIC_SQUASH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: '1', NO_COLOR: '1' } });
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // human output
  }
  return { status: r.status, json, stdout: r.stdout, stderr: r.stderr };
}

describe('verify and squash on a history with merged branches and an irreversible downgrade', function () {
  this.timeout(180_000);
  before(function () {
    if (clusterUnavailableReason() || !existsSync(CLI) || !existsSync(PYTHON)) this.skip();
  });

  it("squashes the merged branches in Alembic's upgrade order: the columns both branches added come out as the chain's", () => {
    const r = cli(['verify', PROJECT, '--from', 'base', '--to', 'd30000000001', '--provider', 'local', '--json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.json.equal, true, JSON.stringify(r.json.summary));
    // Alembic runs the merge's second parent first: the signature column precedes the size column.
    const squash = cli(['squash', PROJECT, '--from', 'base', '--to', 'd30000000001', '--strategy', 'ops', '--dry-run', '--json']);
    assert.equal(squash.status, 0, squash.stderr);
    const text: string = squash.json.file.text;
    assert.ok(text.indexOf('c20000000001: add release signature') < text.indexOf('b10000000001: add release size'), 'the branches are not in Alembic\'s order');
  });

  it('says where the history cannot be downgraded, and still proves the rest: exit 0, equal', () => {
    const r = cli(['verify', PROJECT, '--from', 'base', '--to', 'head', '--provider', 'local', '--json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.json.equal, true);
    const note = (r.json.information as { kind: string; name: string; message: string; detail: string }[]).find((n) => n.kind === 'revision');
    assert.ok(note, JSON.stringify(r.json.information));
    assert.equal(note.name, 'e40000000001');
    assert.match(note.message, /downgrade to base fails here \(not caused by the squash\)/);
    assert.match(note.detail, /e40000000001_remove_release_tokens\.py:\d+ raises RuntimeError: No step back/);
    assert.match(note.detail, /the squash's downgrade fails too/);
    assert.match(r.json.downgrade.skipped, /both the chain's and the squash's downgrade raise/);
  });

  it('proves a snapshot of it, holding its downgrade to an empty database, and says the chain could not go back', () => {
    const r = cli(['squash', PROJECT, '--from', 'base', '--to', 'head', '--strategy', 'snapshot', '--provider', 'local', '--dry-run']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /proven equal to the chain/);
    assert.match(r.stdout, /Your history's downgrade to base fails here \(not caused by the squash\): e40000000001: .* raises RuntimeError: No step back from removing the release tokens; the squash's downgrade was compared with a fresh upgrade to base/);
  });
});
