import { strict as assert } from 'node:assert';
import { isValidRevisionId, parseHeader, parseMigration, revisionIdError } from '../../../src/core/parse';
import type { MigrationFile } from '../../../src/core/parse';

const body = '\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n';
const codes = (f: MigrationFile): string[] => f.problems.map((p) => p.code);
const at = (text: string, r: { start: number; end: number } | undefined): string => {
  assert.ok(r);
  return text.slice(r.start, r.end);
};

describe('parse: header values', () => {
  it('reads strings in every quoting form', () => {
    const cases: [string, string][] = [
      [`revision = "abc"`, 'abc'],
      [`revision = 'abc'`, 'abc'],
      [`revision = """abc"""`, 'abc'],
      [`revision = '''abc'''`, 'abc'],
      [`revision = r'ab\\c'`, 'ab\\c'],
      [`revision = u"abc"`, 'abc'],
      [`revision = 'ab' "c"`, 'abc'],
      [`revision = ('abc')`, 'abc'],
      [`revision = 'a\\x62c'`, 'abc'],
    ];
    for (const [line, expected] of cases) {
      const text = line + body;
      const f = parseMigration(text);
      assert.equal(f.revision, expected, line);
      assert.deepEqual(f.problems, [], line);
      assert.equal(at(text, f.header.revision?.range), line);
    }
  });

  it('reads typed forms of all four names', () => {
    const text = [
      `revision: str = "r2"`,
      `down_revision: str | Sequence[str] | None = "r1"`,
      `branch_labels: None = None`,
      `depends_on: Union[str, Sequence[str], None] = ()`,
    ].join('\n') + body;
    const f = parseMigration(text);
    assert.equal(f.revision, 'r2');
    assert.deepEqual(f.downRevisions, ['r1']);
    assert.equal(f.header.down_revision?.annotation, 'str | Sequence[str] | None');
    assert.equal(f.header.branch_labels?.annotation, 'None');
    assert.deepEqual(f.header.branch_labels?.value, { kind: 'none' });
    assert.deepEqual(f.header.depends_on?.value, { kind: 'sequence', values: [], form: 'tuple' });
    assert.equal(at(text, f.header.depends_on?.valueRange), '()');
    assert.deepEqual(f.problems, []);
  });

  it('reads tuples and lists, bare tuples, and a single string as one label', () => {
    const text = [
      `revision = 'm1'`,
      `down_revision = 'a', 'b'`,
      `branch_labels = 'feature'`,
      `depends_on = [`,
      `    'x1',  # the users branch`,
      `    # 'old',`,
      `    "x2",`,
      `]`,
    ].join('\n') + body;
    const f = parseMigration(text);
    assert.deepEqual(f.downRevisions, ['a', 'b']);
    assert.equal(f.header.down_revision?.value.kind, 'sequence');
    assert.equal(at(text, f.header.down_revision?.valueRange), "'a', 'b'");
    assert.deepEqual(f.branchLabels, ['feature']);
    assert.deepEqual(f.dependencies, ['x1', 'x2']);
    assert.deepEqual(f.header.depends_on?.value, { kind: 'sequence', values: ['x1', 'x2'], form: 'list' });
    assert.deepEqual(f.header.depends_on?.itemRanges.map((r) => at(text, r)), ["'x1'", '"x2"']);
    assert.deepEqual(f.problems, []);
  });

  it('lets the last assignment win, as Python does', () => {
    const text = `revision = 'first'\ndown_revision = None\nrevision = 'second'` + body;
    const f = parseMigration(text);
    assert.equal(f.revision, 'second');
    assert.equal(at(text, f.header.revision?.range), "revision = 'second'");
  });

  it('reports a non-literal value as unresolved and never guesses it', () => {
    const text = `from app import cli\nrevision = 'c1'\ndown_revision = None\nbranch_labels = (cli.CONTRACT_BRANCH,)\ndepends_on = None` + body;
    const f = parseMigration(text);
    assert.deepEqual(f.branchLabels, []);
    assert.deepEqual(f.header.branch_labels?.value, { kind: 'unresolved', text: '(cli.CONTRACT_BRANCH,)' });
    assert.deepEqual(codes(f), ['unresolved-header']);
    assert.equal(f.problems[0].severity, 'warning');
    assert.equal(at(text, f.problems[0].range), '(cli.CONTRACT_BRANCH,)');
    assert.match(f.problems[0].message, /branch_labels/);
  });

  it('treats bytes, f-strings, calls and names as unresolved', () => {
    for (const value of [`b'abc'`, `f'abc'`, `str(1)`, `OTHER`, `('a', 1)`]) {
      const f = parseMigration(`revision = 'x'\ndown_revision = ${value}` + body);
      assert.equal(f.header.down_revision?.value.kind, 'unresolved', value);
      assert.deepEqual(codes(f), ['unresolved-header'], value);
    }
  });

  it('flags revision ids Alembic refuses', () => {
    const text = `revision = 'abc-def'\ndown_revision = None` + body;
    const f = parseMigration(text);
    assert.equal(f.revision, 'abc-def');
    assert.deepEqual(codes(f), ['invalid-revision-id']);
    assert.equal(f.problems[0].severity, 'error');
    assert.equal(at(text, f.problems[0].range), "'abc-def'");
    assert.equal(parseMigration(`revision = None` + body).problems[0].code, 'invalid-revision-id');
  });

  it('accepts ids that are not hex, and rejects @, - and +', () => {
    assert.equal(isValidRevisionId('0001_initial'), true);
    assert.equal(isValidRevisionId('ae1027a6acf'), true);
    for (const bad of ['a@b', 'a-b', 'a+b', '']) {
      assert.equal(isValidRevisionId(bad), false, bad);
      assert.ok(revisionIdError(bad)?.endsWith('.'), bad);
    }
  });

  it('gives isRevision false and no problems for files that are not revisions', () => {
    for (const text of ['', '# package\n', 'from .base import Base\n\ndef helper(:\n', 'Just some notes.\nNot Python at all {\n']) {
      const f = parseMigration(text);
      assert.equal(f.isRevision, false, JSON.stringify(text));
      assert.deepEqual(f.problems, [], JSON.stringify(text));
      assert.equal(parseHeader(text).isRevision, false);
    }
  });

  it('treats a header name in tuple unpacking as unresolved', () => {
    const f = parseMigration(`revision, down_revision = 'a', 'b'` + body);
    assert.equal(f.isRevision, true);
    assert.equal(f.revision, undefined);
    assert.deepEqual(codes(f).sort(), ['unresolved-header', 'unresolved-header']);
  });
});

describe('parse: docstring', () => {
  it('reports fields that disagree with the code as info, on the docstring line', () => {
    const text = `"""fix things\n\nRevision ID: aaa\nRevises: bbb\nCreate Date: 2024-01-01\n\n"""\nrevision = 'ccc'\ndown_revision = 'ddd'` + body;
    const f = parseMigration(text);
    assert.equal(f.revision, 'ccc');
    assert.deepEqual(f.problems.map((p) => [p.code, p.severity, at(text, p.range)]), [
      ['docstring-mismatch', 'info', 'Revision ID: aaa'],
      ['docstring-mismatch', 'info', 'Revises: bbb'],
    ]);
  });

  it('takes the first non-empty line as the message', () => {
    const f = parseMigration(`"""\n\n   add users table\nmore text\n"""\nrevision = 'a'` + body);
    assert.equal(f.message, 'add users table');
    assert.equal(f.docstring?.revisionId, undefined);
  });

  it('does not take a string after the first def as the docstring', () => {
    const f = parseMigration(`revision = 'a'\ndef upgrade():\n    pass\n"""late"""\n`);
    assert.equal(f.docstring, undefined);
    assert.equal(f.message, '');
  });
});
