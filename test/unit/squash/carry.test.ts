import { strict as assert } from 'node:assert';
import { parseMigration } from '../../../src/core/parse';
import { planSquash, renderSquash } from '../../../src/core/squash';
import { writeProject, type RevisionSpec } from './project';
import { loadFixture, PYTHON } from './support';

const date = new Date(2024, 4, 1, 12, 0, 0);

async function squash(revisions: RevisionSpec[]) {
  const { dir, cleanup } = writeProject(revisions);
  try {
    const l = await loadFixture(dir);
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date } });
    const r = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    assert.deepEqual(parseMigration(r.text).problems.filter((p) => p.code === 'syntax-error'), []);
    return r;
  } finally {
    cleanup();
  }
}

function fnText(text: string, fn: 'upgrade' | 'downgrade'): string {
  const f = parseMigration(text)[fn]!;
  return text.slice(f.range.start, f.range.end);
}

describe('squash: carrying module-level code', () => {
  it('an import inside a function never renames the module-level import of the other members', async () => {
    const r = await squash([
      { revision: 'a1', down: [], upgrade: "    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))", downgrade: "    op.drop_table('t')" },
      { revision: 'a2', down: ['a1'], upgrade: "    op.add_column('t', sa.Column('x', sa.Integer()))", downgrade: "    import sqlalchemy as sa\n    op.drop_column('t', 'x')\n    sa.Integer()" },
      { revision: 'a3', down: ['a2'], upgrade: "    op.add_column('t', sa.Column('y', sa.Text()))", downgrade: "    op.drop_column('t', 'y')" },
    ]);
    assert.deepEqual(r.renames, []);
    assert.doesNotMatch(r.text, /sa_[0-9a-f]{2}/);
    assert.match(fnText(r.text, 'downgrade'), /# import sqlalchemy as sa {2}\(imported at module level\)/);
    assert.equal(parseMigration(r.text).imports.filter((i) => i.module === 'sqlalchemy').length, 1);
  });

  it('identical helpers are carried once; helpers of the same name that differ are renamed and their calls follow', async () => {
    const same = 'def _fk_name(table, column):\n    return f"fk_{table}_{column}"';
    const recreate = 'def _recreate_indexes() -> None:\n    for stmt in MV_INDEXES:\n        op.execute(stmt)';
    const r = await squash([
      { revision: 'b1', down: [], helpers: `${same}\n\n\nMV_INDEXES = ["CREATE INDEX i1 ON t (a)"]\n\n\n${recreate}`, upgrade: "    op.create_table('t', sa.Column('a', sa.Integer()), sa.Column('b', sa.Integer()))\n    _recreate_indexes()\n    print(_fk_name('t', 'a'))", downgrade: "    op.drop_table('t')" },
      { revision: 'b2', down: ['b1'], helpers: `${same}\n\n\nMV_INDEXES = ["CREATE INDEX i2 ON t (b)"]\n\n\n${recreate}`, upgrade: "    _recreate_indexes()\n    print(_fk_name('t', 'b'))", downgrade: "    op.execute('DROP INDEX i2')" },
    ]);
    const defs = parseMigration(r.text).helpers.flatMap((h) => h.defines);
    assert.equal(defs.filter((d) => d === '_fk_name').length, 1, 'identical helper merged');
    assert.deepEqual(defs.filter((d) => d.startsWith('_recreate_indexes')).sort(), ['_recreate_indexes', '_recreate_indexes_b2']);
    assert.deepEqual(defs.filter((d) => d.startsWith('MV_INDEXES')).sort(), ['MV_INDEXES', 'MV_INDEXES_b2']);
    const up = fnText(r.text, 'upgrade');
    assert.ok(up.indexOf('    _recreate_indexes()') < up.indexOf('    _recreate_indexes_b2()'), up);
    assert.match(r.text, /def _recreate_indexes_b2\(\) -> None:\n {4}for stmt in MV_INDEXES_b2:/);
  });

  it('a `pass` downgrade is a no-op carried as one; the other downgrades stay', async () => {
    const r = await squash([
      { revision: 'c1', down: [], upgrade: "    op.create_table('t', sa.Column('id', sa.Integer()))", downgrade: "    op.drop_table('t')" },
      { revision: 'c2', down: ['c1'], upgrade: "    op.execute('CREATE VIEW v AS SELECT 1')", downgrade: '    """Views are forward-only."""\n    pass' },
    ]);
    assert.deepEqual(r.partialDowngrade, []);
    assert.deepEqual(r.noOpDowngrades, ['c2']);
    const down = fnText(r.text, 'downgrade');
    assert.doesNotMatch(down, /NotImplementedError/);
    assert.match(down, /# downgrade\(\) of c2 is a no-op, as written by its author\.\n {4}# Views are forward-only\.\n {4}pass/);
    assert.match(down, /op\.drop_table\('t'\)/);
  });

  it('member docstrings become comments under the member marker; Alembic\'s "Upgrade schema." is dropped', async () => {
    const r = await squash([
      { revision: 'd1', down: [], upgrade: '    """Upgrade schema."""\n    op.create_table(\'t\', sa.Column(\'id\', sa.Integer()))', downgrade: '    """Downgrade schema."""\n    op.drop_table(\'t\')' },
      { revision: 'd2', down: ['d1'], upgrade: '    """Add a column.\n\n    Second line.\n    """\n    op.add_column(\'t\', sa.Column(\'x\', sa.Integer()))', downgrade: "    op.drop_column('t', 'x')" },
    ]);
    const up = fnText(r.text, 'upgrade');
    assert.doesNotMatch(up, /"""/);
    assert.doesNotMatch(up, /Upgrade schema/);
    assert.match(up, /# --- d2: change d2 ---\n {4}# Add a column\.\n {4}#\n {4}# Second line\.\n {4}op\.add_column/);
    assert.doesNotMatch(fnText(r.text, 'downgrade'), /"""|Downgrade schema/);
  });

  it('a member without downgrade() or one that raises is named for what it did', async () => {
    const r = await squash([
      { revision: 'e1', down: [], upgrade: "    op.create_table('t', sa.Column('id', sa.Integer()))", downgrade: '    raise NotImplementedError("no way back")' },
      { revision: 'e2', down: ['e1'], upgrade: "    op.add_column('t', sa.Column('x', sa.Integer()))", downgrade: null },
    ]);
    assert.deepEqual(r.partialDowngrade, ['e1', 'e2']);
    assert.match(fnText(r.text, 'downgrade'), /e2 has no downgrade\(\); e1 raises NotImplementedError in its downgrade\(\)/);
  });
});
