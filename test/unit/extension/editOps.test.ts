import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { LineIndex } from '../../../src/core/scripts';
import { applyChanges, buildEdits, planSquash, renderSquash, type FileEdit } from '../../../src/core/squash';
import { Labels, checkExpected, inverseEdits, involvedPaths, restoreEdits, stepStates, toOperations } from '../../../src/extension/squash/editOps';
import { applyToDisk, load } from './support';

/** linear 8a4e..e91a with a new id: a new file, four deletions, and the head rewired. */
async function newIdSquash(archiveDir?: string): Promise<{ edits: FileEdit[]; disk: Map<string, string> }> {
  const { scripts, files } = await load('linear');
  const plan = planSquash({ map: scripts.map, files, project: scripts.project, from: '8a4e6b2c9f31', to: 'e91a4d6c0b27', options: { revisionId: 'new', archiveDir } });
  const render = await renderSquash({ plan, files, project: scripts.project });
  const disk = new Map([...files].map(([p, f]) => [p, f.text]));
  return { edits: buildEdits(plan, render, files, { archiveDir }), disk };
}

describe('squash edits as WorkspaceEdit operations', () => {
  it('maps create, delete and the rewired child to labelled operations', async () => {
    const { edits } = await newIdSquash();
    const ops = toOperations(edits, (f) => path.basename(f));
    assert.equal(ops.filter((o) => o.op === 'create').length, 1);
    assert.equal(ops.filter((o) => o.op === 'delete').length, 4);
    const rewire = ops.filter((o) => o.op === 'replace');
    assert.ok(rewire.length >= 1);
    assert.ok(rewire.every((o) => o.label === Labels.rewire && o.description === '0d3b8f5a61c9_create_projects.py'));
    assert.ok(ops.filter((o) => o.op === 'delete').every((o) => o.label === Labels.delete));
  });

  it('places each replacement at the line and column of the offset it came from', async () => {
    const { edits } = await newIdSquash();
    const modify = edits.find((e): e is Extract<FileEdit, { kind: 'modify' }> => e.kind === 'modify')!;
    const lines = new LineIndex(modify.expectedText);
    const ops = toOperations([modify]);
    let text = modify.expectedText;
    // Apply through positions, the way the editor does, and compare with the core's offsets.
    for (const op of [...ops].reverse()) {
      if (op.op !== 'replace') continue;
      const start = lines.offset(op.start.line, op.start.character);
      const end = lines.offset(op.end.line, op.end.character);
      assert.equal(modify.expectedText.slice(start, end), 'e91a4d6c0b27');
      text = text.slice(0, start) + op.newText + text.slice(end);
    }
    assert.equal(text, applyChanges(modify.expectedText, modify.changes));
    assert.ok(!text.includes("'e91a4d6c0b27'"), 'down_revision still names the old tip');
  });

  it('archives with renames when an archive folder is set', async () => {
    const { edits } = await newIdSquash('archive');
    const renames = toOperations(edits).filter((o) => o.op === 'rename');
    assert.equal(renames.length, 4);
    for (const r of renames) {
      assert.ok(r.op === 'rename' && r.to === path.join(path.dirname(r.from), 'archive', path.basename(r.from)));
      assert.equal(r.label, Labels.archive);
    }
  });

  it('finds files changed, missing or in the way since the plan was made', async () => {
    const { edits, disk } = await newIdSquash();
    assert.deepEqual(checkExpected(edits, (f) => disk.get(f)), []);
    const deleted = edits.find((e) => e.kind === 'delete')!;
    const created = edits.find((e) => e.kind === 'create')!;
    const changed = new Map(disk);
    changed.set((deleted as { path: string }).path, '# edited\n');
    changed.set((created as { path: string }).path, 'already here');
    const modified = edits.find((e) => e.kind === 'modify') as { path: string };
    changed.delete(modified.path);
    const found = checkExpected(edits, (f) => changed.get(f));
    assert.deepEqual(
      found.map((m) => [path.basename(m.path), m.reason]).sort(),
      [
        [path.basename((created as { path: string }).path), 'exists'],
        [path.basename((deleted as { path: string }).path), 'changed'],
        [path.basename(modified.path), 'missing'],
      ].sort(),
    );
  });

  it('undoes a squash completely, and only the applied part when entries were unticked', async () => {
    const { edits, disk } = await newIdSquash('archive');
    const original = new Map(disk);

    const full = new Map(disk);
    applyToDisk(full, edits);
    assert.notDeepEqual(full, original);
    applyToDisk(full, inverseEdits(edits, (f) => full.get(f)));
    assert.deepEqual(full, original);

    // The user unticked the rewiring and one archive move in the preview.
    const partial = new Map(disk);
    const kept = edits.filter((e, i) => e.kind !== 'modify' && i !== edits.findIndex((x) => x.kind === 'move'));
    applyToDisk(partial, kept);
    const inverse = inverseEdits(edits, (f) => partial.get(f));
    assert.equal(inverse.length, kept.length);
    applyToDisk(partial, inverse);
    assert.deepEqual(partial, original);
  });

  it('does not undo a file the user changed after the squash', async () => {
    const { edits, disk } = await newIdSquash();
    applyToDisk(disk, edits);
    const created = edits.find((e) => e.kind === 'create') as { path: string };
    disk.set(created.path, disk.get(created.path) + '\n# my change\n');
    const inverse = inverseEdits(edits, (f) => disk.get(f));
    assert.ok(!inverse.some((e) => e.kind === 'delete' && e.path === created.path));
  });

  it('lists every file involved once', async () => {
    const { edits } = await newIdSquash('archive');
    const paths = involvedPaths(edits);
    assert.equal(new Set(paths).size, paths.length);
    assert.equal(paths.length, 1 + 4 * 2 + 1);
  });

  it('reads back from the disk which steps a preview applied: all, none, or some', async () => {
    const { edits, disk } = await newIdSquash();
    assert.ok(stepStates(edits, (f) => disk.get(f)).every((s) => s === 'pending'));
    const full = new Map(disk);
    applyToDisk(full, edits);
    assert.ok(stepStates(edits, (f) => full.get(f)).every((s) => s === 'done'));
    // Only the new file ticked: the squash must not stand half-written.
    const partial = new Map(disk);
    applyToDisk(partial, edits.filter((e) => e.kind === 'create'));
    const states = stepStates(edits, (f) => partial.get(f));
    assert.deepEqual(states.map((s, i) => [edits[i]!.kind, s]).filter(([, s]) => s === 'done'), [['create', 'done']]);
  });

  it('restores a partial application, including a file where only some of its changes were applied', async () => {
    const { edits, disk } = await newIdSquash();
    const original = new Map(disk);
    const modify = edits.find((e): e is Extract<FileEdit, { kind: 'modify' }> => e.kind === 'modify')!;
    const partial = new Map(disk);
    // Two deletions, and the first of the child's replacements only (the preview lists each one).
    applyToDisk(partial, edits.filter((e) => e.kind === 'delete').slice(0, 2));
    applyToDisk(partial, [{ ...modify, changes: modify.changes.slice(0, 1) }]);
    const restore = restoreEdits(edits, (f) => partial.get(f));
    applyToDisk(partial, restore);
    assert.deepEqual(partial, original);
  });
});
