import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { runCliJson } from '../../support/cli';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { OPTIMIZABLE } from '../../support/optimizable';
import { writeProject } from '../../unit/squash/project';

const PYTHON = '/usr/bin/python3';
const env = { ALEMBIC_SQUASH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: '1' };
const indent = (body: string) => body.split('\n').map((l) => `    ${l}`).join('\n');

describe('optimized squash: verified equal to the chain (and to the squash without the optimizer)', function () {
  this.timeout(180_000);
  let project: ReturnType<typeof writeProject> | undefined;
  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
    project = writeProject(
      OPTIMIZABLE.map((m, i) => ({ revision: m.revision, down: i ? [OPTIMIZABLE[i - 1].revision] : [], upgrade: indent(m.upgrade), downgrade: indent(m.downgrade) })),
    );
  });
  after(() => project?.cleanup());

  it('lists every removed statement with its rule; --no-optimize keeps them', () => {
    const on = runCliJson(['squash', project!.dir, '--from', 'base', '--to', 'head', '--strategy', 'ops', '--dry-run'], { env });
    assert.equal(on.status, 0, on.stderr);
    assert.deepEqual(on.json.optimizations.map((o: { rule: string }) => o.rule), ['create-then-drop', 'folded-into-create-table', 'replaced-again', 'replaced-again', 'create-then-drop', 'create-then-drop', 'create-then-drop']);
    assert.match(on.json.file.text, /Optimized: removed 7 statement\(s\) from upgrade\(\) \(create-then-drop ×4, folded-into-create-table ×1, replaced-again ×2\)\./);
    const off = runCliJson(['squash', project!.dir, '--from', 'base', '--to', 'head', '--strategy', 'ops', '--dry-run', '--no-optimize'], { env });
    assert.deepEqual(off.json.optimizations, []);
    assert.doesNotMatch(off.json.file.text, /optimized away/);
  });

  it('verify on a local PostgreSQL: the optimized squash gives the chain\'s schema, data and downgrade', function () {
    const why = clusterUnavailableReason();
    if (why) {
      console.warn(`    skipped: ${why}`);
      this.skip();
    }
    const r = runCliJson(['verify', project!.dir, '--from', 'base', '--to', 'head', '--provider', 'local'], { env });
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    assert.equal(r.json.equal, true);
    assert.equal(r.json.downgrade.equal, true);
  });
});
