// All-or-nothing apply in a real extension host: a squash's edits applied through VS Code's
// WorkspaceEdit, a partial application (what unticking entries in the refactor preview leaves)
// detected from the disk and put back, undo; and the review screen's Apply / Cancel.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileEdit } from '../../src/core/squash';
import type { AlembicSquashApi } from '../../src/extension/main';
import { applyFileEdits, settle, undoFileEdits } from '../../src/extension/squash/apply';
import type { SquashOutcome } from '../../src/extension/squash/flow';
import { api, configPath, graphWhere, ids, versions, versionsOnDisk, workspace } from './support';

let originalIds = '';

/** The edits of squashing 8a4e..e91a under a new id (a create, four deletes, the head rewired), kept from the first test. */
let all: FileEdit[] = [];
const edits = async (): Promise<FileEdit[]> => all;

describe('all-or-nothing apply of a squash', () => {
  let original: Map<string, string>;
  before(async () => {
    const a = await api();
    original = versionsOnDisk();
    originalIds = ids(a);
  });
  afterEach(async () => {
    assert.deepEqual(versionsOnDisk(), original, 'a test left the versions folder changed');
    // The next squash plans from the graph: wait until it has seen the files restored.
    const a = await api();
    await graphWhere(a, () => ids(a) === originalIds);
  });

  it('applies every edit without asking, then undo restores every file', async () => {
    const a = await api();
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
      configPath,
      from: '8a4e6b2c9f31',
      to: 'e91a4d6c0b27',
      revisionId: 'new',
      interactive: false,
    });
    assert.equal(outcome?.status, 'applied');
    all = a.lastSquash!.edits;
    const disk = versionsOnDisk();
    assert.equal(disk.size, original.size - 4 + 1);
    const undo = await undoFileEdits(all);
    assert.equal(undo.undone, true);
    assert.equal(undo.restored.length, 6, undo.restored.join(', '));
    assert.deepEqual(versionsOnDisk(), original);
    // And once more through the module itself.
    assert.equal((await applyFileEdits(all, { preview: false })).status, 'applied');
    assert.equal(versionsOnDisk().size, original.size - 4 + 1);
    assert.equal((await undoFileEdits(all)).undone, true);
  });

  it('puts back a partial application (only the new file and two deletions) and names the restored files', async () => {
    const all = await edits();
    const part = [all.find((e) => e.kind === 'create')!, ...all.filter((e) => e.kind === 'delete').slice(0, 2)];
    // What the refactor preview does with the other entries unticked: these steps only.
    assert.equal((await applyFileEdits(part, { preview: false })).status, 'applied');
    assert.notDeepEqual(versionsOnDisk(), original);
    const report = await settle(all);
    assert.equal(report.status, 'restored');
    assert.deepEqual(
      (report as { restored: string[] }).restored.map((f) => path.basename(f)).sort(),
      part.map((e) => path.basename((e as { path: string }).path)).sort(),
    );
  });

  it('puts back a rewired child whose down_revision was changed without the rest', async () => {
    const all = await edits();
    const modify = all.find((e): e is Extract<FileEdit, { kind: 'modify' }> => e.kind === 'modify')!;
    await applyFileEdits([{ ...modify, changes: modify.changes.slice(0, 1) }], { preview: false });
    assert.notDeepEqual(versionsOnDisk(), original);
    const report = await settle(all);
    assert.equal(report.status, 'restored');
  });

  it('says cancelled when nothing was applied', async () => {
    assert.deepEqual(await settle(await edits()), { status: 'cancelled' });
  });
});

describe('the squash review screen', () => {
  let original: Map<string, string>;
  before(async () => {
    const a = await api();
    original = versionsOnDisk();
    originalIds ||= ids(a);
  });
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  async function squashThroughReview(press: 'apply' | 'cancel'): Promise<SquashOutcome | undefined> {
    const a = await api();
    await graphWhere(a, () => ids(a) === originalIds);
    const shown = new Promise<NonNullable<AlembicSquashApi['review']['open']>>((resolve) => {
      const sub = a.review.onDidShow((p) => {
        sub.dispose();
        resolve(p);
      });
    });
    const running = vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', { configPath, from: 'base', to: 'head', message: 'all of it', revisionId: 'tip', strategy: 'ops' });
    const panel = await shown;
    assert.equal(panel.model.members.length, 6);
    assert.equal(panel.model.strategy, 'ops');
    assert.deepEqual(versionsOnDisk(), original, 'something was written before Apply');
    panel.press(press);
    return running;
  }

  it('Cancel writes nothing', async () => {
    const outcome = await squashThroughReview('cancel');
    assert.equal(outcome?.status, 'cancelled');
    assert.deepEqual(versionsOnDisk(), original);
  });

  it('Apply writes every file with the default settings (no refactor preview), and undo clears it', async () => {
    const outcome = await squashThroughReview('apply');
    assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
    const disk = versionsOnDisk();
    assert.equal(disk.size, 1);
    assert.ok([...disk.values()][0]!.includes("revision = '0d3b8f5a61c9'"));
    const undone = await vscode.commands.executeCommand<{ undone: boolean; restored: string[] }>('alembicSquash.undoLastSquash', { interactive: false });
    assert.equal(undone?.undone, true);
    assert.equal(undone!.restored.length, 7);
    assert.deepEqual(versionsOnDisk(), original);
    const ext = await api();
    await graphWhere(ext, () => ids(ext) === originalIds);
  });

  it('Show Stamp Plan opens a read-only Markdown preview, nothing to save', async () => {
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', { configPath, from: '8a4e6b2c9f31', to: 'e91a4d6c0b27', revisionId: 'new', interactive: false });
    assert.equal(outcome?.status, 'applied');
    try {
      const shown = new Promise<void>((resolve) => {
        const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
          if (!vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.includes('stamp-plan'))) return;
          sub.dispose();
          resolve();
        });
      });
      await vscode.commands.executeCommand('alembicSquash.showStampPlan');
      await shown;
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.includes('stamp-plan'))!;
      assert.ok(tab.input instanceof vscode.TabInputWebview, `not a preview: ${tab.label}`);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.isUntitled), 'an untitled document was opened');
    } finally {
      await vscode.commands.executeCommand('alembicSquash.undoLastSquash', { interactive: false });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    assert.deepEqual(versionsOnDisk(), original);
    const ext = await api();
    await graphWhere(ext, () => ids(ext) === originalIds);
  });
});
