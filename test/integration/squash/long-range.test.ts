import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { prepareSquash } from '../../../src/core/squash';
import { PYTHON } from '../../unit/squash/support';

/** `count` revisions, each adding one column: a squash of them is one long upgrade() body. */
function longHistory(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-long-'));
  fs.mkdirSync(path.join(dir, 'migrations/versions'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = postgresql://localhost/x\n');
  fs.writeFileSync(path.join(dir, 'migrations/env.py'), 'from alembic import context\n');
  const id = (i: number) => `b${i.toString(16).padStart(11, '0')}`;
  for (let i = 1; i <= count; i++) {
    const down = i === 1 ? 'None' : `'${id(i - 1)}'`;
    fs.writeFileSync(
      path.join(dir, `migrations/versions/${id(i)}_c${i}.py`),
      `"""add c${i}\n\nRevision ID: ${id(i)}\nRevises: ${i === 1 ? '' : id(i - 1)}\nCreate Date: 2025-01-01 00:00:00\n\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = '${id(i)}'\ndown_revision = ${down}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.add_column('t', sa.Column('c${i}', sa.Integer()))\n\n\ndef downgrade():\n    op.drop_column('t', 'c${i}')\n`,
    );
  }
  return dir;
}

describe('squash of a long range (one upgrade() body of 500 blocks)', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
    dir = longHistory(500);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('renders, and the built-in parser reads the file to the end (no fallback to Python needed)', async () => {
    const { render, plan } = await prepareSquash({ project: loadProject(dir), from: 'base', to: 'heads', python: PYTHON });
    assert.equal(plan.members.length, 500);
    assert.ok(render.text.includes("op.add_column('t', sa.Column('c500', sa.Integer()))"));
    assert.ok(!render.warnings.some((w) => w.includes('could not read')), render.warnings.join('\n'));
  });

});
