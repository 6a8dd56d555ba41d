import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMigration } from '../../../src/core/parse';
import { planSquash, renderSquash } from '../../../src/core/squash';
import { describeSql } from '../../../src/core/squash/sqlSummary';
import { writeProject, type RevisionSpec } from './project';
import { loadFixture, PYTHON } from './support';

const date = new Date(2024, 4, 1, 12, 0, 0);

async function squash(revisions: RevisionSpec[], prepare?: (dir: string) => void) {
  const { dir, cleanup } = writeProject(revisions);
  try {
    prepare?.(dir);
    const l = await loadFixture(dir);
    // The optimizer has its own tests; here every statement is kept as the members wrote it.
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date, optimize: false } });
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

  it('imports of project code are listed with module and line, with the snapshot strategy named for a range from base', async () => {
    const r = await squash(
      [
        { revision: 'f1', down: [], upgrade: "    op.create_table('genes', sa.Column('id', sa.Integer()))", downgrade: "    op.drop_table('genes')" },
        { revision: 'f2', down: ['f1'], imports: 'from app.db.views import genes_current\nfrom typing import Any', upgrade: '    op.execute(genes_current)', downgrade: "    op.execute('DROP VIEW genes_current')" },
        { revision: 'f3', down: ['f2'], upgrade: '    from app.db import functions\n    op.execute(functions.SQL)', downgrade: '    pass' },
      ],
      (dir) => {
        fs.mkdirSync(path.join(dir, 'app', 'db'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'app', 'db', 'views.py'), "genes_current = 'CREATE VIEW genes_current AS SELECT * FROM genes'\n");
        fs.writeFileSync(path.join(dir, 'app', 'db', 'functions.py'), "SQL = 'SELECT 1'\n");
      },
    );
    assert.deepEqual(
      r.projectImports.map((i) => [i.revision, i.module]),
      [['f2', 'app.db.views'], ['f3', 'app.db']],
    );
    const f2 = r.projectImports[0];
    assert.equal(fs.existsSync(f2.path) ? '' : 'gone', 'gone', 'the project was removed after the test');
    assert.ok(f2.line > 5);
    assert.match(r.warnings.join('\n'), /2 revision\(s\) import project code \(app\.db\.views, app\.db\).*snapshot strategy/);
    assert.match(parseMigration(r.text).docstring!.text, /Imports of project code \(the squash runs that code as it is today\):\n- f2: app\.db\.views\n- f3: app\.db\n/);
  });

  it('no warning for a dropped unused library import whose name another member binds', async () => {
    const r = await squash([
      { revision: 'g1', down: [], imports: 'from collections.abc import Sequence as Seq', upgrade: "    op.create_table('t', sa.Column('id', sa.Integer()))\n    print(Seq)", downgrade: "    op.drop_table('t')" },
      { revision: 'g2', down: ['g1'], imports: 'from typing import Sequence as Seq', upgrade: "    op.add_column('t', sa.Column('x', sa.Integer()))", downgrade: "    op.drop_column('t', 'x')" },
    ]);
    assert.doesNotMatch(r.warnings.join('\n'), /unused import/);
  });

  it("data operations say what their SQL does, from PostgreSQL's parser", async () => {
    const r = await squash([
      { revision: 'h1', down: [], upgrade: "    op.create_table('phenopackets', sa.Column('id', sa.Integer()), sa.Column('v', sa.Text()))", downgrade: "    op.drop_table('phenopackets')" },
      { revision: 'h2', down: ['h1'], upgrade: '    op.execute(\n        \"\"\"\n        UPDATE phenopackets SET v = \'x\'\n        WHERE id > 0\n        \"\"\"\n    )\n    op.get_bind().execute(sa.text("INSERT INTO phenopackets (id) VALUES (1)"))', downgrade: "    op.execute('DELETE FROM phenopackets')" },
    ]);
    const doc = parseMigration(r.text).docstring!.text;
    assert.match(doc, /Data operations carried:\n- h2: UPDATE phenopackets \[raw-sql-dml\]\n- h2: INSERT INTO phenopackets \[data\]/);
    assert.doesNotMatch(doc, /op\.execute\(/);
  });
});

describe('describeSql', () => {
  before(async () => {
    await (await import('../../../src/core/squash/classify')).prepareClassifier();
  });
  it('names statement kinds and tables', () => {
    assert.equal(describeSql('UPDATE public.phenopackets SET x = 1'), 'UPDATE public.phenopackets');
    assert.equal(describeSql('INSERT INTO hpo_terms_lookup VALUES (1); INSERT INTO hpo_terms_lookup VALUES (2)'), 'INSERT INTO hpo_terms_lookup');
    assert.equal(describeSql('DELETE FROM a; REFRESH MATERIALIZED VIEW mv'), 'DELETE FROM a; REFRESH MATERIALIZED VIEW mv');
    assert.equal(describeSql("SELECT setval('s', 1)"), 'SELECT setval()');
    assert.equal(describeSql('CREATE OR REPLACE VIEW v AS SELECT 1'), 'CREATE OR REPLACE VIEW v');
    assert.equal(describeSql('DROP VIEW IF EXISTS v'), 'DROP VIEW v');
    assert.equal(describeSql("CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql"), 'CREATE FUNCTION');
    assert.equal(describeSql('not sql at all'), undefined);
  });
});
