import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { LIMITS, parseHeader, parseMigration } from '../../../src/core/parse';
import { ScriptDirectory } from '../../../src/core/scripts';

const HEAD = `"""deep\n\nRevision ID: b2\nRevises: a1\n"""\nrevision = 'b2'\ndown_revision = 'a1'\n`;

describe('bounded parsing: no input makes a file vanish', () => {
  it('brackets nested beyond Python\'s limit: an unreadable-file problem with the reason, the same on every run', () => {
    const text = HEAD + 'x = ' + '('.repeat(LIMITS.maxBracketDepth) + '1' + ')'.repeat(LIMITS.maxBracketDepth) + '\n';
    const answers = Array.from({ length: 5 }, () => JSON.stringify([parseMigration(text).problems, parseHeader(text).problems]));
    assert.equal(new Set(answers).size, 1);
    const [p] = parseMigration(text).problems;
    assert.equal(p?.code, 'unreadable-file');
    assert.match(p!.message, /nests brackets 200 or more levels deep/);
  });

  it('199 nested brackets (what Python accepts) still read normally', () => {
    const text = HEAD + 'x = ' + '('.repeat(199) + '1' + ')'.repeat(199) + '\n';
    const m = parseMigration(text);
    assert.equal(m.revision, 'b2');
    assert.deepEqual(m.problems, []);
  });

  it('blocks nested 100 levels deep, and files beyond the size limit, are reported, not parsed', () => {
    const deep = HEAD + Array.from({ length: 101 }, (_, i) => ' '.repeat(i) + 'if x:\n').join('') + ' '.repeat(101) + 'pass\n';
    assert.match(parseMigration(deep).problems[0]!.message, /nests blocks 100 or more levels deep/);
    const huge = HEAD + '#'.repeat(LIMITS.maxLength) + '\n';
    assert.match(parseHeader(huge).problems[0]!.message, /more than the 4,000,000 this tool reads/);
  });

  it('brackets inside strings and comments do not count', () => {
    const text = HEAD + `x = "${'('.repeat(500)}"  # ${'['.repeat(500)}\ny = '''${'{'.repeat(500)}'''\n`;
    assert.deepEqual(parseMigration(text).problems, []);
  });

  it('a revision whose header a syntax error swallowed keeps the error (found by the fuzzer: the docstring\'s first line deleted)', () => {
    const dir = path.resolve(__dirname, '../../fixtures/helpers-clash/migrations/versions');
    const original = fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('de93bc39d271'))!), 'utf8');
    const text = original.slice(original.indexOf('\n') + 1);
    for (const m of [parseMigration(text), parseHeader(text)]) {
      assert.equal(m.isRevision, false);
      assert.deepEqual(m.problems.map((p) => p.code), ['syntax-error']);
    }
  });

  it('a revision whose `revision = …` a line break split keeps the error (found by the fuzzer: `revision` and `= \'…\'` on two lines)', () => {
    const text = "revision\n= 'd0fa6d1c1a79'\ndown_revision = None\n\n\ndef upgrade():\n    pass\n";
    for (const m of [parseMigration(text), parseHeader(text)]) {
      assert.equal(m.isRevision, false);
      assert.deepEqual(m.problems.map((p) => p.code), ['syntax-error']);
    }
    // A plain module is still not a revision with problems.
    assert.deepEqual(parseMigration('revisions = [1, 2]\n').problems, []);
  });

  it('a NUL character is an error at its place', () => {
    const text = HEAD + 'x = 1\0\n';
    const p = parseMigration(text).problems.find((q) => q.code === 'null-byte');
    assert.equal(p?.range.start, text.indexOf('\0'));
  });

  it('a file that is not UTF-8 keeps its revision in the graph and gets an invalid-utf8 error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-utf8-'));
    try {
      fs.mkdirSync(path.join(dir, 'versions'));
      fs.writeFileSync(path.join(dir, 'versions', 'a1_first.py'), "revision = 'a1'\ndown_revision = None\n");
      fs.writeFileSync(path.join(dir, 'versions', 'b2_second.py'), Buffer.concat([Buffer.from(HEAD + '# caf'), Buffer.from([0xe9, 0x0a])]));
      const scripts = await ScriptDirectory.load(loadProject(path.join(dir, 'versions')), { full: true });
      assert.deepEqual(scripts.map.heads, ['b2']);
      const problem = scripts.problems().find((p) => p.code === 'invalid-utf8');
      assert.ok(problem, JSON.stringify(scripts.problems()));
      assert.match(problem.message, new RegExp(`byte ${Buffer.byteLength(HEAD + '# caf')}\\b`));
      assert.equal(problem.line, HEAD.split('\n').length - 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('many module-level statements that use each other are read (the helper scan is not quadratic)', () => {
    let text = HEAD;
    for (let i = 0; i < 4000; i++) text += `X_${i} = X_${Math.max(0, i - 1)} + 1\n`;
    text += 'def upgrade():\n    op.execute(X_3999)\n';
    const m = parseMigration(text);
    assert.equal(m.helpers.length, 4000);
    assert.deepEqual(m.helpers[10]!.uses, ['X_9']);
  });
});
