import { strict as assert } from 'node:assert';
import { parseHeader, parseMigration } from '../../../src/core/parse';
import type { MigrationFile } from '../../../src/core/parse';
import { TEMPLATE_113 } from './samples';

const at = (text: string, r: { start: number; end: number } | undefined): string => {
  assert.ok(r);
  return text.slice(r.start, r.end);
};
const codes = (f: MigrationFile): string[] => f.problems.map((p) => p.code);

describe('parse: broken files', () => {
  it('reports a syntax error mid-file once, at the first error, and still reads the rest', () => {
    const text = TEMPLATE_113.replace("op.drop_column('account', 'email')", "op.drop_column('account' 'email' +)");
    const f = parseMigration(text);
    assert.equal(f.revision, 'ae1027a6acf');
    assert.deepEqual(codes(f), ['syntax-error']);
    assert.equal(f.problems[0].severity, 'error');
    assert.ok(f.problems[0].range.start > text.indexOf('def downgrade'));
    assert.ok(f.upgrade && !f.upgrade.isEmpty);
    assert.ok(f.downgrade);
  });

  it('never trusts a half-typed down_revision, and still reads the lines after it', () => {
    const text = `revision = "r2"\ndown_revision = ("r1",\nbranch_labels = None\ndepends_on = None\n\ndef upgrade():\n    pass\n`;
    const f = parseMigration(text);
    assert.equal(f.isRevision, true);
    assert.equal(f.revision, 'r2');
    assert.deepEqual(f.downRevisions, []);
    assert.equal(f.header.down_revision?.value.kind, 'unresolved');
    assert.deepEqual(codes(f).sort(), ['syntax-error', 'unreadable-header']);
    const unreadable = f.problems.find((p) => p.code === 'unreadable-header')!;
    assert.equal(unreadable.severity, 'error');
    assert.equal(at(text, unreadable.range), 'down_revision = ("r1",');
    assert.deepEqual(f.header.branch_labels?.value, { kind: 'none' });
    assert.equal(f.upgrade?.isEmpty, true);
    assert.deepEqual(parseHeader(text).header.down_revision?.value.kind, 'unresolved');
  });

  it('falls back to a header scan after an unterminated docstring', () => {
    const text = `"""add users\n\nRevision ID: r2\nRevises: r1\n\nrevision = "r2"\ndown_revision = "r1"\nbranch_labels = None\n\n\ndef upgrade():\n    op.create_table("users")\n\n\ndef downgrade():\n    op.drop_table("users")\n`;
    for (const f of [parseMigration(text), parseHeader(text)]) {
      assert.equal(f.docstring, undefined);
      assert.equal(f.message, '');
      assert.equal(f.revision, 'r2');
      assert.deepEqual(f.downRevisions, ['r1']);
      assert.equal(at(text, f.header.down_revision?.range), 'down_revision = "r1"');
      assert.ok(codes(f).includes('syntax-error'));
    }
    const f = parseMigration(text);
    assert.equal(f.upgrade?.body, 'op.create_table("users")');
    assert.equal(f.downgrade?.body, 'op.drop_table("users")');
    // Docstring lines such as "Revises: r1" are not taken for code.
    assert.deepEqual(f.helpers, []);
  });

  it('still finds downgrade() after an unclosed bracket in upgrade()', () => {
    const text = `revision = "r2"\ndown_revision = "r1"\n\n\ndef upgrade():\n    op.add_column("t", sa.Column("c", sa.Integer()\n    # typing...\n\n\ndef downgrade():\n    op.drop_column("t", "c")\n`;
    const f = parseMigration(text);
    assert.ok(f.upgrade);
    assert.ok(f.downgrade, 'downgrade must be found');
    assert.equal(at(text, f.downgrade.range), 'def downgrade():\n    op.drop_column("t", "c")');
    assert.equal(f.downgrade.body, 'op.drop_column("t", "c")');
    assert.ok(f.upgrade.range.end <= text.indexOf('def downgrade'));
    assert.equal(at(text, f.upgrade.range), 'def upgrade():\n    op.add_column("t", sa.Column("c", sa.Integer()');
    assert.deepEqual(codes(f), ['syntax-error']);
  });

  it('reads an empty file and a binary-ish file without problems', () => {
    const binary = '\u0000\u0001PK\u0003\u0004\uFFFD\uFFFD\n\u0000(\u0000"""\n\u00ff\u00fe';
    for (const text of ['', binary]) {
      const f = parseMigration(text);
      assert.equal(f.isRevision, false);
      assert.deepEqual(f.problems, []);
      assert.equal(parseHeader(text).isRevision, false);
    }
  });

  it('parseHeader falls back to the whole text when the header runs into the first def', () => {
    const text = `revision = "r2"\ndown_revision = (\n"r1",\ndef upgrade():\n    pass\n`;
    const f = parseHeader(text);
    assert.equal(f.revision, 'r2');
    assert.equal(f.header.down_revision?.value.kind, 'unresolved');
    assert.ok(codes(f).includes('unreadable-header'));
  });

  it('parseHeader reads header assignments written after the functions', () => {
    const text = `def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n\n\nrevision = "late"\ndown_revision = None\n`;
    assert.equal(parseHeader(text).revision, 'late');
    assert.equal(parseMigration(text).revision, 'late');
  });
});
