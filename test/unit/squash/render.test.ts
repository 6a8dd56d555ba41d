import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { parseMigration } from '../../../src/core/parse';
import { classifySql, formatFileName, planSquash, renderSquash, slugOf } from '../../../src/core/squash';
import { classifyBody, prepareClassifier } from '../../../src/core/squash/classify';
import { FIXTURES, loadFixture, PYTHON } from './support';

const fixture = (name: string) => loadFixture(path.join(FIXTURES, name));
const date = new Date(2024, 4, 1, 12, 0, 0);

/** A top-level function of the rendered file, comments included (the file must parse). */
function bodyOf(text: string, fn: 'upgrade' | 'downgrade'): string {
  const parsed = parseMigration(text);
  assert.deepEqual(parsed.problems.filter((p) => p.code === 'syntax-error'), []);
  const f = parsed[fn]!;
  return text.slice(text.indexOf('\n', f.range.start) + 1, f.range.end);
}

describe('squash render (op-merge)', () => {
  it('linear: bodies in order with headers, downgrade reversed, header values and template imports', async () => {
    const l = await fixture('linear');
    const plan = planSquash({ map: l.map, files: l.files, from: '8a4e6b2c9f31', to: '5b7f0c3d2e84', options: { createDate: date } });
    const r = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    assert.equal(r.renderedWith, 'project-template');
    const parsed = parseMigration(r.text);
    assert.equal(parsed.revision, '5b7f0c3d2e84');
    assert.deepEqual(parsed.downRevisions, ['3f1c2a9b7d10']);
    const up = bodyOf(r.text, 'upgrade');
    const heads = ['8a4e6b2c9f31', 'c2d9e1f4a5b6', '5b7f0c3d2e84'].map((id) => up.indexOf(`# --- ${id}: `));
    assert.ok(heads.every((i) => i >= 0) && heads[0] < heads[1] && heads[1] < heads[2], up);
    const down = bodyOf(r.text, 'downgrade');
    const downHeads = ['5b7f0c3d2e84', 'c2d9e1f4a5b6', '8a4e6b2c9f31'].map((id) => down.indexOf(`# --- ${id}: `));
    assert.ok(downHeads[0] < downHeads[1] && downHeads[1] < downHeads[2], down);
    assert.ok(up.includes("op.add_column('users', sa.Column('team_id', sa.Integer(), nullable=True))"));
    // One import line each: the template's op/sa are not repeated, postgresql is carried once.
    assert.equal(parsed.imports.filter((i) => i.module === 'alembic').length, 1);
    assert.equal(parsed.imports.filter((i) => i.module === 'sqlalchemy.dialects').length, 1);
    assert.equal(r.fileName, '5b7f0c3d2e84_squash_8a4e6b2c9f31_5b7f0c3d2e84.py');
    assert.ok(parsed.docstring!.text.includes('- c2d9e1f4a5b6: index users by lower(email)'));
  });

  it('helpers with clashing names are renamed in the later member, with every call following', async () => {
    const l = await fixture('helpers-clash');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date } });
    const r = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    const parsed = parseMigration(r.text);
    const defined = parsed.helpers.flatMap((h) => h.defines);
    // TABLE means "documents" in one member and "folders" in another: both kept, distinct names.
    assert.ok(defined.includes('TABLE') && defined.includes('TABLE_6fcaf0'), defined.join(','));
    assert.ok(defined.includes('_create_audit_trigger') && defined.includes('_create_audit_trigger_6fcaf0'));
    assert.ok(r.renames.some((x) => x.revision === '6fcaf0b32333' && x.from === '_create_audit_trigger' && x.to === '_create_audit_trigger_6fcaf0'));
    const up = bodyOf(r.text, 'upgrade');
    const folders = up.slice(up.indexOf('# --- 6fcaf0b32333'), up.indexOf('# --- 48108c0eda00'));
    assert.ok(folders.includes('_create_audit_trigger_6fcaf0(TABLE_6fcaf0)'), folders);
    assert.ok(!/\b_create_audit_trigger\(/.test(folders), folders);
    // Strings and keyword names are untouched by renames.
    assert.ok(folders.includes("[f'{TABLE_6fcaf0}.id']") || folders.includes('TABLE_6fcaf0'), folders);
    assert.ok(r.text.includes('def _create_audit_trigger_6fcaf0(table):'));
    // An alias bound to two things (pg = postgresql dialect module, pg = JSONB) is split.
    assert.ok(r.renames.some((x) => x.what === 'import' && x.from === 'pg'), JSON.stringify(r.renames));
  });

  it('data migrations are carried and reported; an early return is contained', async () => {
    const l = await fixture('data-migrations');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date } });
    const r = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    const data = r.classification.filter((c) => c.fn === 'upgrade' && (c.kind === 'data' || c.kind === 'raw-sql-dml' || c.contains === 'data'));
    assert.ok(data.some((c) => c.revision === 'dbc0a04b7c02' && c.kind === 'data' && c.summary.startsWith('op.bulk_insert')));
    assert.ok(data.some((c) => c.revision === '6ca220c696eb' && c.kind === 'raw-sql-dml'));
    const doc = parseMigration(r.text).docstring!.text;
    assert.ok(doc.includes('Data operations carried:'), doc);
    assert.ok(doc.includes('dbc0a04b7c02: bulk_insert(countries) [data]'), doc);
    assert.ok(doc.includes('6ca220c696eb: UPDATE countries [raw-sql-dml]'), doc);
    // Offline-mode branches and the ORM session survive, with `context` and `orm` imported.
    assert.ok(r.text.includes('if context.is_offline_mode():'));
    assert.ok(r.text.includes('from alembic import context'));
    assert.ok(r.text.includes('class Customer(Base):'));
    // 4f64e6a8152e returns early in offline mode: the blocks after it must still run.
    assert.ok(r.text.includes('def _upgrade_4f64e6a8152e():') && r.text.includes('    _upgrade_4f64e6a8152e()'));
  });

  it('a member without downgrade makes the downgrade raise, naming it (default)', async () => {
    const l = await fixture('partial-downgrade');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date } });
    const r = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    assert.ok(r.partialDowngrade.length > 0);
    const down = bodyOf(r.text, 'downgrade');
    assert.ok(down.includes('raise NotImplementedError('), down);
    for (const id of r.partialDowngrade) assert.ok(down.includes(id));
    // Members whose downgrade is real are not listed.
    assert.ok(!r.partialDowngrade.includes('21313739cd93'));
  });

  it("partialDowngrade 'comment' keeps the other downgrades with a prominent comment", async () => {
    const l = await fixture('partial-downgrade');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date, partialDowngrade: 'comment' } });
    const r = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    const down = bodyOf(r.text, 'downgrade');
    // 58c31fe25515 and ba6550c0cfb4 downgrade with `pass`: a no-op carried as one, not a gap.
    assert.ok(down.includes('# !!! PARTIAL DOWNGRADE: 4aa4a134a94e has no downgrade(); e4a18c695661 raises NotImplementedError in its downgrade()'), down);
    assert.deepEqual(r.noOpDowngrades.sort(), ['58c31fe25515', 'ba6550c0cfb4']);
    assert.ok(down.includes("op.drop_table('sessions')"), down);
    assert.ok(!down.includes('raise NotImplementedError'));
  });

  it('a merge revision with empty bodies does not make the downgrade partial', async () => {
    const l = await fixture('merge-three');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date } });
    const r = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    assert.deepEqual(r.partialDowngrade, []);
    assert.deepEqual(parseMigration(r.text).downRevisions, []);
  });

  it('without Python, the built-in template renders an equivalent file and says so', async () => {
    const l = await fixture('linear');
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'head', options: { createDate: date } });
    const builtin = await renderSquash({ plan, files: l.files, project: l.project });
    const project = await renderSquash({ plan, files: l.files, project: l.project, python: PYTHON });
    assert.equal(builtin.renderedWith, 'builtin');
    assert.ok(builtin.builtinReason);
    // The fixture's template is Alembic's generic one: both renderings must be identical.
    assert.equal(builtin.text, project.text);
  });
});

describe('squash naming and SQL classification', () => {
  it('slug and file_template as Alembic computes them', () => {
    assert.equal(slugOf('Add orders table (v2)!', 40), 'add_orders_table_v2');
    assert.equal(slugOf('squash 3f1c2a9b7d10..0d3b8f5a61c9 and some more words here', 30), 'squash_3f1c2a9b7d10_');
    const d = new Date(2024, 0, 5, 7, 8, 9);
    assert.equal(formatFileName('%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s', 'abc123', 'Add x', d, 40), '2024_01_05_0708-abc123_add_x.py');
  });

  it('classifies SQL with the PostgreSQL parser', async () => {
    const { loadModule } = await import('libpg-query');
    await loadModule();
    assert.equal(classifySql("UPDATE t SET a = 1 WHERE b = 'x;y'"), 'raw-sql-dml');
    assert.equal(classifySql('CREATE INDEX i ON t (a); ALTER TABLE t ADD COLUMN b int'), 'raw-sql-ddl');
    assert.equal(classifySql('CREATE TABLE t (a int); INSERT INTO t VALUES (1)'), 'raw-sql-dml');
    assert.equal(classifySql('CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END'), 'raw-sql-ddl');
    assert.equal(classifySql('this is not sql'), 'raw-sql-unknown');
  });

  it('summarizes a compound statement by the calls its block makes, not by `try:` alone', async () => {
    await prepareClassifier();
    const body = "try:\n    op.alter_column('t', 'c', nullable=False)\n    op.execute(sql)\nexcept Exception:\n    LOG.warning('x')\nop.drop_table('old')\n";
    const scope = { imports: new Map(), helpers: new Map() } as unknown as Parameters<typeof classifyBody>[3];
    assert.deepEqual(
      classifyBody(body, 'r1', 'upgrade', scope).map((c) => c.summary),
      ['try: … op.alter_column(), op.execute(), LOG.warning()', "op.drop_table('old')"],
    );
  });
});

describe('renderSquash without a project template', () => {
  it('indents the merged bodies as Alembic\'s default template does, so the file parses', async () => {
    const { loadFixture, FIXTURES } = await import('./support');
    const { planSquash, renderSquash } = await import('../../../src/core/squash');
    const { parseMigration } = await import('../../../src/core/parse');
    const path = await import('node:path');
    const loaded = await loadFixture(path.join(FIXTURES, 'linear'));
    const order = loaded.map.topologicalOrder();
    const plan = planSquash({ map: loaded.map, files: loaded.files, from: order[1]!, to: order[4]!, options: { revisionId: 'new' } });
    const r = await renderSquash({ plan, files: loaded.files });
    const parsed = parseMigration(r.text);
    assert.deepEqual(parsed.problems.filter((p) => p.code === 'syntax-error'), []);
    assert.equal(r.renderedWith, 'builtin');
    assert.match(r.text, /\ndef upgrade\(\) -> None:\n    # --- /);
  });
});

describe('create date and file name with the project\'s timezone', () => {
  it('prints the date as Python prints a zone-aware datetime, in that zone', async () => {
    const { pythonDateString, formatFileName } = await import('../../../src/core/squash');
    const instant = new Date(Date.UTC(2024, 0, 15, 23, 30, 5, 250));
    assert.equal(pythonDateString(instant, 'UTC'), '2024-01-15 23:30:05.250000+00:00');
    assert.equal(pythonDateString(instant, 'Asia/Kolkata'), '2024-01-16 05:00:05.250000+05:30');
    assert.equal(pythonDateString(instant, 'America/New_York'), '2024-01-15 18:30:05.250000-05:00');
    // The file name's date fields follow the same zone (the day changed in Kolkata).
    assert.equal(formatFileName('%(year)d_%(month).2d_%(day).2d_%(rev)s', 'abc', 'm', instant, 40, 'Asia/Kolkata'), '2024_01_16_abc.py');
  });

  it('refuses a zone name the runtime does not know, saying what to write', async () => {
    const { pythonDateString } = await import('../../../src/core/squash');
    assert.throws(() => pythonDateString(new Date(), 'Mars/Olympus'), /not a time zone name.*IANA/);
  });
});
