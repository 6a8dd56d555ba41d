// verify --models: Alembic's own autogenerate comparison of env.py's target_metadata with the
// squashed database; information by default, a difference with --models=strict.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { FIXTURES } from './support';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

function verify(models: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, 'verify', path.join(FIXTURES, 'models'), '--from', 'base', '--to', 'head', '--provider', 'local', models, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, json: JSON.parse(r.stdout) as { equal: boolean; summary: string[]; models: { available: boolean; differences: string[]; strict: boolean } }, stderr: r.stderr };
}

describe('alembic-squash verify --models', function () {
  this.timeout(120_000);
  before(function () {
    if (clusterUnavailableReason() || !existsSync(CLI)) this.skip();
  });

  it('models that match the squashed schema: nothing autogenerate would generate', () => {
    const r = verify('--models');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.models, { available: true, differences: [], strict: false });
  });

  it('models that do not match: listed in words, and the verify still passes', () => {
    const r = verify('--models', { MODELS_EXTRA_COLUMN: 'note' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.equal, true);
    assert.deepEqual(r.json.models.differences, ['column orders.note is in the models but not the squashed database']);
  });

  it('--models=strict makes them count', () => {
    const r = verify('--models=strict', { MODELS_EXTRA_COLUMN: 'note' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.json.equal, false);
    assert.deepEqual(r.json.summary, ['models: column orders.note is in the models but not the squashed database']);
  });
});
