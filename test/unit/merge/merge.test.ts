import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { docstringEdits, renderMergeRevision } from '../../../src/core/merge';
import { parseMigration } from '../../../src/core/parse';
import { loadProject } from '../../../src/core/project';

const fixtures = path.resolve(__dirname, '../../fixtures');

function apply(text: string, edits: { range: { start: number; end: number }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start - a.range.start)) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

const FILE = `"""add users nickname

Revision ID: 5c94367525f0
Revises: f2a7f70be62d
Create Date: 2024-05-03 12:14:09.660217

"""
from alembic import op

revision = '5c94367525f0'
down_revision = ('f2a7f70be62d', '0badc0ffee00')
branch_labels = None
depends_on = None
`;

describe('merge helpers: docstring edits', () => {
  it('rewrites a stale Revises line the way the template writes it, and leaves right lines alone', () => {
    const m = parseMigration(FILE);
    const edits = docstringEdits(FILE, m, { revisionId: m.revision, revises: m.downRevisions });
    assert.equal(edits.length, 1);
    const fixed = apply(FILE, edits);
    assert.ok(fixed.includes('Revises: f2a7f70be62d, 0badc0ffee00\n'));
    assert.ok(fixed.includes('Revision ID: 5c94367525f0\n'));
    assert.deepEqual(parseMigration(fixed).problems, []);
  });

  it('writes an empty Revises for a base without a trailing space', () => {
    const m = parseMigration(FILE);
    const fixed = apply(FILE, docstringEdits(FILE, m, { revises: [] }));
    assert.ok(fixed.includes('Revises:\nCreate Date'));
  });

  it('gives nothing when the file has no docstring', () => {
    const text = FILE.slice(FILE.indexOf('from alembic'));
    assert.deepEqual(docstringEdits(text, parseMigration(text), { revisionId: 'x', revises: ['y'] }), []);
  });
});

describe('merge helpers: merge revision without Python', () => {
  it('renders a file that names both heads, named by file_template in the versions folder', async () => {
    const project = loadProject(path.join(fixtures, 'branch-labels/alembic.ini'));
    const merge = await renderMergeRevision({
      project,
      heads: ['192db78bc465', '56ad9a661cab'],
      revisionId: 'abcdef123456',
      date: new Date(2024, 4, 6, 9, 41, 55, 17),
    });
    assert.equal(merge.renderedWith, 'built-in');
    assert.equal(merge.path, path.join(project.versionLocations[0]!, 'abcdef123456_merge_heads.py'));
    const m = parseMigration(merge.text);
    assert.equal(m.revision, 'abcdef123456');
    assert.deepEqual(m.downRevisions, ['192db78bc465', '56ad9a661cab']);
    assert.equal(m.docstring?.revises, '192db78bc465, 56ad9a661cab');
    assert.equal(m.docstring?.createDate, '2024-05-06 09:41:55.017000');
    assert.deepEqual(m.problems, []);
    assert.ok(m.upgrade?.isEmpty && m.downgrade?.isEmpty);
  });

  it('never reuses a taken id', async () => {
    const project = loadProject(path.join(fixtures, 'branch-labels/alembic.ini'));
    const seen = new Set<string>();
    const merge = await renderMergeRevision({ project, heads: ['a', 'b'], taken: (id) => (seen.size < 3 ? (seen.add(id), true) : false) });
    assert.ok(!seen.has(merge.revision));
    assert.match(merge.revision, /^[0-9a-f]{12}$/);
  });
});
