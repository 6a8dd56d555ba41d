import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { fixture, runCli, runCliJson } from '../../support/cli';

const env = { ALEMBIC_SQUASH_PYTHON: '/usr/bin/python3', PYTHONDONTWRITEBYTECODE: '1' };

describe('alembic-squash squash --strategy (built CLI, local PostgreSQL)', function () {
  this.timeout(180_000);
  const temps: string[] = [];
  before(function () {
    if (clusterUnavailableReason()) this.skip();
  });
  after(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));
  const copyOf = (name: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `alembic-squash-snap-${name}-`));
    fs.cpSync(fixture(name), dir, { recursive: true });
    temps.push(dir);
    return dir;
  };

  it('auto (the default) from base: the snapshot, proven, with both strategies\' sizes; written and undone', () => {
    const dir = copyOf('views-functions-triggers');
    const { status, json, stderr } = runCliJson(['squash', dir, '--from', 'base', '--to', 'head', '--provider', 'local'], { env });
    assert.equal(status, 0, stderr);
    assert.equal(json.strategy, 'snapshot');
    assert.match(json.strategyReason, /starts at base/);
    assert.equal(json.snapshot.proof.equal, true);
    assert.ok(json.snapshot.lines.snapshot < json.snapshot.lines.ops, JSON.stringify(json.snapshot.lines));
    assert.deepEqual(json.snapshot.seeded.map((t: { table: string }) => t.table), ['public.priorities', 'public.sla_policies']);
    const versions = path.join(dir, 'migrations', 'versions');
    assert.deepEqual(fs.readdirSync(versions).filter((f) => f.endsWith('.py')), ['e73dbc014db1_squash_124bb8f67087_e73dbc014db1.py']);
    const undo = runCli(['squash', dir, '--undo'], { env });
    assert.equal(undo.status, 0, undo.stderr);
    assert.equal(fs.readdirSync(versions).filter((f) => f.endsWith('.py')).length, 11);
  });

  it('--snapshot-format sql: the revision and its .sql file are written together and undone together', () => {
    const dir = copyOf('linear');
    const { status, json, stderr } = runCliJson(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'snapshot', '--snapshot-format', 'sql', '--provider', 'local'], { env });
    assert.equal(status, 0, stderr);
    const versions = path.join(dir, 'migrations', 'versions');
    assert.deepEqual(fs.readdirSync(versions).sort(), ['0d3b8f5a61c9_squash_3f1c2a9b7d10_0d3b8f5a61c9.py', '0d3b8f5a61c9_squash_3f1c2a9b7d10_0d3b8f5a61c9.sql']);
    assert.match(fs.readFileSync(path.join(versions, '0d3b8f5a61c9_squash_3f1c2a9b7d10_0d3b8f5a61c9.sql'), 'utf8'), /^-- statement\nCREATE TABLE public\.users \(/m);
    assert.ok(json.written.files.some((f: string) => f.endsWith('.sql')));
    const undo = runCli(['squash', dir, '--undo'], { env });
    assert.equal(undo.status, 0, undo.stderr);
    assert.equal(fs.readdirSync(versions).filter((f) => f.endsWith('.sql')).length, 0);
    assert.equal(fs.readdirSync(versions).filter((f) => f.endsWith('.py')).length, 6);
  });

  it('human output says which strategy and why; a middle range with --strategy snapshot is refused (exit 1)', () => {
    const human = runCli(['squash', fixture('linear'), '--from', 'base', '--to', 'head', '--provider', 'local', '--dry-run'], { env });
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /Strategy: snapshot — the range starts at base and the chain runs on a throwaway PostgreSQL; proven equal to the chain/);
    assert.match(human.stdout, /size: +\d+ lines \(the op-merge squash: \d+ lines\)/);

    const refused = runCli(['squash', fixture('linear'), '--from', '8a4e6b2c9f31', '--to', 'e91a4d6c0b27', '--strategy', 'snapshot', '--dry-run'], { env });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /refused: The snapshot strategy squashes a range that starts at base/);

    const auto = runCli(['squash', fixture('linear'), '--from', '8a4e6b2c9f31', '--to', 'e91a4d6c0b27', '--dry-run'], { env });
    assert.equal(auto.status, 0, auto.stderr);
    assert.match(auto.stdout, /Strategy: ops — the range does not start at base/);
  });
});
