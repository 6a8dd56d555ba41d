import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { verifySquash } from '../../../src/core/verify';
import { runCliJson } from '../../support/cli';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { FOLDABLE, OPTIMIZABLE } from '../../support/optimizable';
import { writeProject } from '../../unit/squash/project';

const PYTHON = '/usr/bin/python3';
const env = { ALEMBIC_SQUASH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: '1' };
const indent = (body: string) => body.split('\n').map((l) => `    ${l}`).join('\n');
const HISTORY = [...OPTIMIZABLE, ...FOLDABLE];

/**
 * A history exercising every optimizer rule, squashed twice (with and without the optimizer) and
 * written: the two squashes are verified equal to the chain and to each other, on real Alembic and
 * a local PostgreSQL.
 */
describe('optimized and un-optimized squashes: equal to the chain and to each other', function () {
  this.timeout(300_000);
  let project: ReturnType<typeof writeProject> | undefined;
  const copies: string[] = [];
  const copy = (name: string) => {
    const dir = `${project!.dir}-${name}`;
    fs.cpSync(project!.dir, dir, { recursive: true });
    copies.push(dir);
    return dir;
  };
  const versions = (dir: string) => path.join(dir, 'migrations', 'versions');
  let optimized = '';
  let plain = '';

  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
    project = writeProject(HISTORY.map((m, i) => ({ revision: m.revision, down: i ? [HISTORY[i - 1].revision] : [], upgrade: indent(m.upgrade), downgrade: indent(m.downgrade) })));
    optimized = copy('optimized');
    plain = copy('plain');
  });
  after(() => {
    project?.cleanup();
    for (const d of copies) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes both squashes; the optimized one lists every rule, folds each kind of call, and keeps what a barrier guards', () => {
    const on = runCliJson(['squash', optimized, '--from', 'base', '--to', 'head', '--strategy', 'ops'], { env });
    assert.equal(on.status, 0, on.stderr);
    const off = runCliJson(['squash', plain, '--from', 'base', '--to', 'head', '--strategy', 'ops', '--no-optimize'], { env });
    assert.equal(off.status, 0, off.stderr);
    assert.deepEqual(off.json.optimizations, []);
    const rules = on.json.optimizations.map((o: { rule: string }) => o.rule);
    assert.deepEqual([...new Set(rules)].sort(), ['create-then-drop', 'dropped-with-table', 'folded-into-create-table', 'replaced-again']);
    const down = on.json.optimizations.filter((o: { fn?: string }) => o.fn === 'downgrade');
    assert.deepEqual(down.map((o: { revision: string; statement: string }) => [o.revision, o.statement.split('(')[0]]), [['f4', 'op.drop_constraint'], ['f4', 'op.drop_index']]);
    const folds = on.json.optimizations.filter((o: { rule: string; revision: string }) => o.rule === 'folded-into-create-table' && o.revision === 'f2');
    assert.deepEqual(folds.map((o: { statement: string }) => o.statement.split('(')[0]), [
      'op.add_column', 'op.create_index', 'op.create_foreign_key', 'op.create_unique_constraint', 'op.create_check_constraint',
      'op.create_table_comment', 'op.alter_column', 'op.add_column',
    ]);
    const [file] = fs.readdirSync(versions(optimized));
    const text = fs.readFileSync(path.join(versions(optimized), file), 'utf8');
    assert.match(text, /sa\.ForeignKeyConstraint\(\['parent_id'\], \['parent\.id'\], ondelete='CASCADE'\),/);
    // The foreign key to a table created after child, and the index after a data operation, stay.
    assert.match(text, /\n {4}op\.create_foreign_key\('fk_child_later'/);
    assert.match(text, /\n {4}op\.create_index\('ix_child_parent'/);
  });

  it('verify --candidate: each squash gives the chain\'s schema, data and downgrade', function () {
    const why = clusterUnavailableReason();
    if (why) {
      console.warn(`    skipped: ${why}`);
      this.skip();
    }
    for (const dir of [optimized, plain]) {
      const r = runCliJson(['verify', project!.dir, '--candidate', versions(dir), '--provider', 'local'], { env });
      assert.equal(r.status, 0, r.stderr.slice(-2000));
      assert.equal(r.json.equal, true, JSON.stringify(r.json.summary));
      assert.equal(r.json.downgrade.equal, true, JSON.stringify(r.json.downgrade));
    }
  });

  it('the optimized squash verifies equal to the un-optimized one directly (upgrade and downgrade to base)', async function () {
    const why = clusterUnavailableReason();
    if (why) {
      console.warn(`    skipped: ${why}`);
      this.skip();
    }
    const r = await verifySquash({
      project: loadProject(plain),
      python: PYTHON,
      provider: { provider: 'local' },
      candidate: { kind: 'versionLocations', versionLocations: [versions(optimized)] },
      to: 'heads',
      downgradeTo: 'base',
    });
    assert.equal(r.equal, true, JSON.stringify(r.schema));
    assert.ok(r.downgrade, 'the downgrade was compared');
    assert.equal(r.downgrade.schema.equal && r.downgrade.data.equal, true, JSON.stringify(r.downgrade.schema.differences));
  });
});
