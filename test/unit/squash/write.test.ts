import { spawn } from 'node:child_process';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyEdits,
  buildEdits,
  FileChangedError,
  planSquash,
  renderSquash,
  recoverJournals,
  interruptedJournals,
  undoLast,
  UndoConflictError,
  WriteFailedError,
} from '../../../src/core/squash';
import { copyFixture, hashTree, loadFixture } from './support';

const date = new Date(2024, 4, 1, 12, 0, 0);

async function squashCopy(name: string, from: string, to: string, revisionId?: string) {
  const copy = copyFixture(name);
  const l = await loadFixture(copy.dir);
  const plan = planSquash({ map: l.map, files: l.files, from, to, options: { createDate: date, revisionId } });
  const render = await renderSquash({ plan, files: l.files, project: l.project });
  const edits = buildEdits(plan, render, l.files);
  const journalDir = path.join(l.project.scriptLocation!, '.alembic-squash');
  return { copy, l, plan, render, edits, journalDir };
}

describe('squash edits, atomic write and undo', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('a new id rewires the child: only the id inside the literals and the Revises line change', async () => {
    const s = await squashCopy('depends-on', '66bacb539df2', 'd165e1a65560', 'new');
    cleanups.push(s.copy.cleanup);
    const modify = s.edits.find((e) => e.kind === 'modify');
    assert.ok(modify && modify.kind === 'modify');
    const before = modify.expectedText;
    applyEdits(s.edits, { journalDir: s.journalDir });
    const after = fs.readFileSync(modify.path, 'utf8');
    assert.equal(after, before.split('d165e1a65560').join(s.plan.newRevision));
    assert.ok(after.includes(`down_revision = ('66205814b23b', '${s.plan.newRevision}')`), after);
    // The graph read back: one head, the child now sits on the new revision.
    const reread = await loadFixture(s.copy.dir);
    assert.deepEqual(reread.map.heads, ['f45dc86c9ea4']);
    assert.deepEqual(reread.map.get('f45dc86c9ea4')!.downRevisions, ['66205814b23b', s.plan.newRevision]);
    assert.deepEqual(reread.map.get(s.plan.newRevision)!.downRevisions, ['844641c80427']);
  });

  it('undo restores every file byte for byte', async () => {
    const s = await squashCopy('linear', 'base', 'head');
    cleanups.push(s.copy.cleanup);
    const before = hashTree(s.copy.dir);
    const result = applyEdits(s.edits, { journalDir: s.journalDir });
    assert.equal(result.deleted.length, 6);
    // The journal keeps itself out of version control.
    assert.match(fs.readFileSync(path.join(s.journalDir, '.gitignore'), 'utf8'), /^\*$/m);
    const reread = await loadFixture(s.copy.dir);
    assert.deepEqual(reread.map.heads, ['0d3b8f5a61c9']);
    assert.equal(reread.map.size, 1);
    undoLast(s.journalDir);
    const after = hashTree(s.copy.dir);
    assert.deepEqual(after, before);
  });

  it('undo refuses, naming the file, when a file changed since the squash', async () => {
    const s = await squashCopy('linear', 'base', 'head');
    cleanups.push(s.copy.cleanup);
    const result = applyEdits(s.edits, { journalDir: s.journalDir });
    const created = result.written[0];
    fs.appendFileSync(created, '\n# edited by hand\n');
    assert.throws(() => undoLast(s.journalDir), (err: unknown) => err instanceof UndoConflictError && err.paths.includes(created));
  });

  it('a failure midway puts everything back', async () => {
    const s = await squashCopy('depends-on', '66bacb539df2', 'd165e1a65560', 'new');
    cleanups.push(s.copy.cleanup);
    const before = hashTree(s.copy.dir);
    let renames = 0;
    assert.throws(
      () =>
        applyEdits(s.edits, {
          journalDir: s.journalDir,
          ops: {
            rename: (a, b) => {
              // The first rename succeeds, the second fails: a half-written squash.
              if (++renames === 2) throw new Error('disk full');
              fs.renameSync(a, b);
            },
          },
        }),
      (err: unknown) => err instanceof WriteFailedError && err.notRestored.length === 0,
    );
    assert.deepEqual(hashTree(s.copy.dir), before);
  });

  it('refuses to write when a file changed after planning, naming it, and touches nothing', async () => {
    const s = await squashCopy('linear', 'base', 'head');
    cleanups.push(s.copy.cleanup);
    const victim = s.plan.members[2].path;
    fs.appendFileSync(victim, '\n');
    const before = hashTree(s.copy.dir);
    assert.throws(() => applyEdits(s.edits, { journalDir: s.journalDir }), (err: unknown) => err instanceof FileChangedError && err.paths.includes(victim));
    assert.deepEqual(hashTree(s.copy.dir), before);
  });

  it('a journal left pending by a kill midway is rolled back by the next command: the folder is entirely old again', async () => {
    const s = await squashCopy('linear', 'base', 'head');
    cleanups.push(s.copy.cleanup);
    const before = hashTree(s.copy.dir);
    const result = applyEdits(s.edits, { journalDir: s.journalDir });
    // As a kill after the new file was renamed in and two old files were removed leaves it.
    const journal = JSON.parse(fs.readFileSync(result.journalPath, 'utf8'));
    fs.writeFileSync(result.journalPath, JSON.stringify({ ...journal, state: 'pending' }));
    const folder = path.dirname(result.journalPath);
    for (const e of journal.entries.filter((x: { before: { exists: boolean } }) => x.before.exists).slice(2)) {
      fs.copyFileSync(path.join(folder, e.before.backup), e.path);
    }
    fs.writeFileSync(journal.entries.find((x: { temp?: string; before: { exists: boolean } }) => x.before.exists).temp, 'half a file');
    const recovered = recoverJournals(s.journalDir);
    assert.deepEqual(recovered.map((r) => r.action), ['rolled-back']);
    assert.deepEqual(hashTree(s.copy.dir), before);
  });

  it('an undo killed midway is finished by the next command, and a journal without its file (killed while writing backups) is discarded', async () => {
    const s = await squashCopy('linear', 'base', 'head');
    cleanups.push(s.copy.cleanup);
    const before = hashTree(s.copy.dir);
    const result = applyEdits(s.edits, { journalDir: s.journalDir });
    const journal = JSON.parse(fs.readFileSync(result.journalPath, 'utf8'));
    fs.writeFileSync(result.journalPath, JSON.stringify({ ...journal, state: 'undoing' }));
    const first = journal.entries.find((x: { before: { exists: boolean } }) => x.before.exists);
    fs.copyFileSync(path.join(path.dirname(result.journalPath), first.before.backup), first.path);
    fs.mkdirSync(path.join(s.journalDir, 'journal-9999-unfinished'));
    fs.writeFileSync(path.join(s.journalDir, 'journal-9999-unfinished', 'backup-0-x.py'), 'partial');
    assert.deepEqual(recoverJournals(s.journalDir).map((r) => r.action), ['undo-finished', 'discarded']);
    assert.deepEqual(hashTree(s.copy.dir), before);
  });

  it('leaves a pending journal alone while the process writing it is alive (another terminal), and lists it only once that process is gone', async () => {
    const s = await squashCopy('linear', 'base', 'head');
    cleanups.push(s.copy.cleanup);
    const before = hashTree(s.copy.dir);
    const result = applyEdits(s.edits, { journalDir: s.journalDir });
    const journal = JSON.parse(fs.readFileSync(result.journalPath, 'utf8'));
    const writer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    cleanups.push(() => writer.kill('SIGKILL'));
    fs.writeFileSync(result.journalPath, JSON.stringify({ ...journal, state: 'pending', pid: writer.pid }));
    const after = hashTree(s.copy.dir);
    assert.deepEqual(interruptedJournals(s.journalDir), []);
    assert.deepEqual(recoverJournals(s.journalDir), []);
    assert.deepEqual(hashTree(s.copy.dir), after, 'a live write was rolled back under its feet');
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    assert.deepEqual(interruptedJournals(s.journalDir).map((j) => j.state), ['pending']);
    assert.deepEqual(recoverJournals(s.journalDir).map((r) => r.action), ['rolled-back']);
    assert.deepEqual(hashTree(s.copy.dir), before);
  });

  it('archives replaced files instead of deleting them when asked', async () => {
    const copy = copyFixture('linear');
    cleanups.push(copy.cleanup);
    const l = await loadFixture(copy.dir);
    const plan = planSquash({ map: l.map, files: l.files, from: 'base', to: 'c2d9e1f4a5b6', options: { createDate: date } });
    const render = await renderSquash({ plan, files: l.files, project: l.project });
    const edits = buildEdits(plan, render, l.files, { archiveDir: '../squashed' });
    assert.equal(edits.filter((e) => e.kind === 'move').length, 3);
    applyEdits(edits, { journalDir: path.join(l.project.scriptLocation!, '.alembic-squash') });
    const archived = fs.readdirSync(path.join(l.project.scriptLocation!, 'squashed')).sort();
    assert.deepEqual(archived, plan.members.map((m) => path.basename(m.path)).sort());
  });
});
