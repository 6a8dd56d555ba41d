import { strict as assert } from 'node:assert';
import { helpersNeeded, parseHeader, parseMigration } from '../../../src/core/parse';
import type { TextRange } from '../../../src/core/common/problem';
import { DATA_MIGRATION, DOC_AFTER_IMPORTS, MERGE, TEMPLATE_113, TEMPLATE_18, UNICODE } from './samples';

const slice = (text: string, r: TextRange | undefined): string => {
  assert.ok(r, 'range expected');
  return text.slice(r.start, r.end);
};

describe('parse: realistic migration files', () => {
  it('reads the Alembic 1.8 template output', () => {
    const f = parseMigration(TEMPLATE_18);
    assert.equal(f.isRevision, true);
    assert.equal(f.revision, '1975ea83b712');
    assert.deepEqual(f.downRevisions, []);
    assert.deepEqual(f.branchLabels, []);
    assert.deepEqual(f.dependencies, []);
    assert.deepEqual(f.problems, []);
    assert.equal(f.message, 'create account table');
    assert.equal(f.docstring?.revisionId, '1975ea83b712');
    assert.equal(f.docstring?.revises, '');
    assert.equal(f.docstring?.createDate, '2011-11-08 11:40:27.089406');
    assert.equal(slice(TEMPLATE_18, f.header.revision?.range), "revision = '1975ea83b712'");
    assert.equal(slice(TEMPLATE_18, f.header.down_revision?.valueRange), 'None');
    assert.deepEqual(f.imports.map((i) => slice(TEMPLATE_18, i.range)), ['from alembic import op', 'import sqlalchemy as sa']);
    assert.equal(f.upgrade?.returns, 'None');
    assert.equal(f.upgrade?.params, '');
    assert.equal(f.upgrade?.isEmpty, false);
    // The body starts at the first statement and ends before the trailing marker comment.
    assert.ok(slice(TEMPLATE_18, f.upgrade?.bodyRange).startsWith("    op.create_table(\n        'account',"));
    assert.ok(slice(TEMPLATE_18, f.upgrade?.bodyRange).endsWith("sa.PrimaryKeyConstraint('id')\n    )"));
    assert.ok(f.upgrade?.body.startsWith("op.create_table(\n    'account',"));
    assert.ok(slice(TEMPLATE_18, f.upgrade?.range).startsWith('def upgrade() -> None:'));
    assert.equal(f.downgrade?.body, "op.drop_table('account')");
    assert.deepEqual(f.helpers, []);
  });

  it('reads the typed 1.13 template output with annotations', () => {
    const f = parseMigration(TEMPLATE_113);
    assert.equal(f.revision, 'ae1027a6acf');
    assert.deepEqual(f.downRevisions, ['1975ea83b712']);
    assert.equal(f.header.down_revision?.annotation, 'Union[str, None]');
    assert.equal(f.header.branch_labels?.annotation, 'Union[str, Sequence[str], None]');
    assert.equal(slice(TEMPLATE_113, f.header.down_revision?.range), "down_revision: Union[str, None] = '1975ea83b712'");
    assert.deepEqual(f.header.down_revision?.itemRanges.map((r) => slice(TEMPLATE_113, r)), ["'1975ea83b712'"]);
    assert.deepEqual(f.problems, []);
    assert.deepEqual(f.imports.map((i) => [i.kind, i.module, i.names.map((n) => n.name).join(',')]), [
      ['from', 'typing', 'Sequence,Union'], ['from', 'alembic', 'op'], ['import', 'sqlalchemy', ''],
    ]);
    assert.equal(f.downgrade?.body, "op.drop_index(op.f('ix_account_email'), table_name='account')\nop.drop_column('account', 'email')");
  });

  it('reads a merge revision written as a multi-line tuple with comments', () => {
    const f = parseMigration(MERGE);
    assert.deepEqual(f.downRevisions, ['ae1027a6acf', '27c6a30d7c24']);
    const down = f.header.down_revision;
    assert.equal(down?.value.kind, 'sequence');
    assert.deepEqual(down?.itemRanges.map((r) => slice(MERGE, r)), ['"ae1027a6acf"', '"27c6a30d7c24"']);
    assert.ok(slice(MERGE, down?.valueRange).startsWith('(\n    "ae1027a6acf",  # feature/email'));
    assert.ok(slice(MERGE, down?.valueRange).endsWith('"27c6a30d7c24",\n)'));
    assert.equal(f.upgrade?.isEmpty, true);
    assert.equal(f.downgrade?.isEmpty, true);
    // "Revises: a, b" agrees with the tuple.
    assert.deepEqual(f.problems, []);
  });

  it('reads a data migration: helpers, constants, what each helper uses, SQL at column 0 kept verbatim', () => {
    const f = parseMigration(DATA_MIGRATION);
    assert.deepEqual(f.branchLabels, ['billing']);
    assert.deepEqual(f.helpers.map((h) => [h.kind, h.defines.join(',')]), [
      ['assignment', 'CURRENCIES'], ['assignment', 'currency'], ['function', '_rows'], ['function', '_backfill'],
    ]);
    const rows = f.helpers[2];
    assert.equal(slice(DATA_MIGRATION, rows.range), 'def _rows():\n    return [{"code": code, "name": name} for code, name in CURRENCIES]');
    assert.deepEqual(rows.uses, ['CURRENCIES']);
    assert.deepEqual(f.helpers[1].uses?.sort(), ['column', 'sa', 'table']);
    assert.deepEqual(f.helpers[3].uses, ['sa']);
    const needed = helpersNeeded(f, f.upgrade!.bodyRange).map((h) => h.defines[0]);
    assert.deepEqual(needed, ['CURRENCIES', 'currency', '_rows', '_backfill']);
    assert.deepEqual(helpersNeeded(f, f.downgrade!.bodyRange), []);
    // The SQL lines inside the triple-quoted string are not de-indented (that would change the string).
    assert.ok(f.upgrade?.body.includes('op.execute("""\nCREATE VIEW currency_names AS\nSELECT code, name FROM currency\n""")'));
    assert.ok(f.upgrade?.body.startsWith('op.create_table(\n    "currency",'));
    const loads = f.references.map((r) => r.name);
    assert.ok(loads.includes('_backfill'));
    // `conn` is read in _backfill's body and in upgrade(); its assignment and the parameter are bindings.
    assert.equal(loads.filter((n) => n === 'conn').length, 2);
    // Keyword argument names and attributes are not references.
    assert.ok(!f.references.some((r) => r.name === 'primary_key' || r.name === 'bulk_insert' || r.name === 'get_bind'));
    for (const r of f.references) assert.equal(slice(DATA_MIGRATION, r.range), r.name);
  });

  it('finds a docstring after the imports, applies last-wins and a single-string depends_on', () => {
    const f = parseMigration(DOC_AFTER_IMPORTS);
    assert.equal(f.message, 'add audit trigger');
    assert.equal(f.docstring?.revisionId, 'c0ffee000001');
    assert.equal(f.revision, 'c0ffee000001');
    assert.equal(slice(DOC_AFTER_IMPORTS, f.header.revision?.range), 'revision = "c0ffee000001"');
    assert.deepEqual(f.dependencies, ['1975ea83b712']);
    assert.deepEqual(f.problems, []);
    // The overridden first assignment is still a header statement, not a helper.
    assert.deepEqual(f.helpers, []);
  });

  it('counts offsets in UTF-16 code units after emoji and CJK text', () => {
    const f = parseMigration(UNICODE);
    assert.equal(f.message, '添加用户表 🚀 users');
    assert.equal(slice(UNICODE, f.header.revision?.valueRange), "'0a1b2c3d4e5f'");
    assert.equal(slice(UNICODE, f.header.down_revision?.itemRanges[0]), "'c0ffee000001'");
    assert.equal(f.upgrade?.body, `op.execute("COMMENT ON TABLE account IS '账户 🎉'")`);
    assert.equal(slice(UNICODE, f.upgrade?.bodyRange), `    op.execute("COMMENT ON TABLE account IS '账户 🎉'")`);
    assert.equal(slice(UNICODE, f.downgrade?.range), 'def downgrade():\n    op.execute("COMMENT ON TABLE account IS NULL")');
  });

  it('reads a file saved with CRLF line endings', () => {
    const text = TEMPLATE_113.replace(/\n/g, '\r\n');
    const f = parseMigration(text);
    assert.equal(f.revision, 'ae1027a6acf');
    assert.equal(f.message, 'add email to account');
    assert.deepEqual(f.problems, []);
    assert.equal(f.downgrade?.body, "op.drop_index(op.f('ix_account_email'), table_name='account')\r\nop.drop_column('account', 'email')");
    assert.equal(slice(text, f.header.down_revision?.range), "down_revision: Union[str, None] = '1975ea83b712'");
  });

  it('parseHeader gives the same header as parseMigration on every sample', () => {
    for (const text of [TEMPLATE_18, TEMPLATE_113, MERGE, DATA_MIGRATION, DOC_AFTER_IMPORTS, UNICODE]) {
      const full = parseMigration(text);
      const head = parseHeader(text);
      assert.deepEqual(head.header, full.header);
      assert.equal(head.revision, full.revision);
      assert.deepEqual(head.downRevisions, full.downRevisions);
      assert.deepEqual(head.branchLabels, full.branchLabels);
      assert.deepEqual(head.dependencies, full.dependencies);
      assert.deepEqual(head.docstring, full.docstring);
      assert.deepEqual(head.problems, full.problems);
    }
  });
});
