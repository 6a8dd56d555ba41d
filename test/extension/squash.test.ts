// Squash from the palette command with a fixture range given as arguments, files on disk, undo.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SquashOutcome } from '../../src/extension/squash/flow';
import { api, configPath, graphWhere, ids, versions, versionsOnDisk, workspace } from './support';

describe('squash from the command palette', () => {
  let original: Map<string, string>;
  let originalIds: string;
  before(async () => {
    const a = await api();
    original = versionsOnDisk();
    originalIds = ids(a);
  });

  it('squashes 8a4e..e91a with a new id: one new file, the four replaced gone, the head rewired', async () => {
    const a = await api();
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
      configPath,
      from: '8a4e6b2c9f31',
      to: 'e91a4d6c0b27',
      revisionId: 'new',
      message: 'teams and users',
      interactive: false,
    });
    assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
    const newId = outcome!.newRevision!;
    assert.notEqual(newId, 'e91a4d6c0b27');

    const disk = versionsOnDisk();
    for (const gone of ['8a4e6b2c9f31', 'c2d9e1f4a5b6', '5b7f0c3d2e84', 'e91a4d6c0b27']) {
      assert.ok(![...disk.keys()].some((f) => f.startsWith(gone)), `${gone} should be deleted`);
    }
    const created = [...disk].find(([f]) => f.startsWith(newId));
    assert.ok(created, `no file for ${newId} among ${[...disk.keys()].join(', ')}`);
    assert.ok(created[1].includes(`revision = '${newId}'`));
    assert.ok(created[1].includes("down_revision = '3f1c2a9b7d10'"));
    const head = [...disk].find(([f]) => f.startsWith('0d3b8f5a61c9'))!;
    assert.ok(head[1].includes(`down_revision = '${newId}'`), head[1]);

    await graphWhere(a, () => a.projects()[0]!.revisions.length === 3);
    assert.deepEqual(a.projects()[0]!.heads, ['0d3b8f5a61c9']);
    assert.deepEqual(a.revisionTree().map((n) => n.revision), ['0d3b8f5a61c9', newId, '3f1c2a9b7d10']);
    assert.equal(a.lastSquash?.applied, true);
  });

  it('undoes the squash: every file back as it was', async () => {
    const a = await api();
    const result = await vscode.commands.executeCommand<{ undone: boolean }>('alembicSquash.undoLastSquash', { interactive: false });
    assert.equal(result?.undone, true);
    assert.deepEqual(versionsOnDisk(), original);
    await graphWhere(a, () => ids(a) === originalIds);
    assert.deepEqual(a.projects()[0]!.heads, ['0d3b8f5a61c9']);
  });

  it('plans on the files as the disk holds them, before the file watcher has reported a new one', async () => {
    const a = await api();
    // A second child of e91a written by another tool (a checkout, a teammate's branch); the squash
    // starts in the same turn, before any watcher event can reach the graph.
    const added = path.join(versions, 'f00d00000001_audit_log.py');
    fs.writeFileSync(
      added,
      `"""audit log\n\nRevision ID: f00d00000001\nRevises: e91a4d6c0b27\nCreate Date: 2024-03-12 10:00:00\n\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'f00d00000001'\ndown_revision = 'e91a4d6c0b27'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    op.create_table('audit_log', sa.Column('id', sa.Integer(), primary_key=True))\n\n\ndef downgrade() -> None:\n    op.drop_table('audit_log')\n`,
    );
    const seen = a.projects()[0]!.revisions.some((r) => r.revision === 'f00d00000001');
    try {
      const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
        configPath,
        from: '8a4e6b2c9f31',
        to: 'e91a4d6c0b27',
        revisionId: 'new',
        message: 'teams and users',
        interactive: false,
      });
      assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
      const newId = outcome!.newRevision!;
      // Both children of the squashed range now point at the new revision: none at a deleted file.
      assert.ok(fs.readFileSync(added, 'utf8').includes(`down_revision = '${newId}'`), `the new child was not rewired (graph had seen it: ${seen})`);
      const head = [...versionsOnDisk()].find(([f]) => f.startsWith('0d3b8f5a61c9'))!;
      assert.ok(head[1].includes(`down_revision = '${newId}'`), head[1]);
      await graphWhere(a, () => a.projects()[0]!.revisions.length === 4);
      assert.deepEqual([...a.projects()[0]!.heads].sort(), ['0d3b8f5a61c9', 'f00d00000001']);
    } finally {
      // Put the workspace back for the next tests, whatever failed above.
      if (a.lastSquash?.applied) {
        const undone = await vscode.commands.executeCommand<{ undone: boolean }>('alembicSquash.undoLastSquash', { interactive: false });
        assert.equal(undone?.undone, true);
      }
      fs.rmSync(added, { force: true });
    }
    assert.deepEqual(versionsOnDisk(), original);
    await graphWhere(a, () => ids(a) === originalIds);
  });

  it('squashes the whole history from the explorer command on the versions folder, keeping the tip id', async () => {
    const a = await api();
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashFolder', vscode.Uri.file(versions), {
      from: 'base',
      to: 'head',
      interactive: false,
    });
    assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
    assert.equal(outcome!.newRevision, '0d3b8f5a61c9');
    const disk = versionsOnDisk();
    assert.equal(disk.size, 1, [...disk.keys()].join(', '));
    const [text] = [...disk.values()];
    assert.ok(text!.includes("revision = '0d3b8f5a61c9'") && text!.includes('down_revision = None'), text);
    await graphWhere(a, () => a.projects()[0]!.revisions.length === 1);

    const undone = await vscode.commands.executeCommand<{ undone: boolean }>('alembicSquash.undoLastSquash', { interactive: false });
    assert.equal(undone?.undone, true);
    assert.deepEqual(versionsOnDisk(), original);
    await graphWhere(a, () => ids(a) === originalIds);
  });

  it('squashes base..c2d9 from the code lens arguments (Squash Up to Here), then undoes it', async () => {
    const a = await api();
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashUpToHere', {
      configPath,
      here: workspace,
      revision: 'c2d9e1f4a5b6',
      interactive: false,
    });
    assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
    await graphWhere(a, () => a.projects()[0]!.revisions.length === 4);
    const squashed = a.projects()[0]!.revisions.find((r) => r.revision === 'c2d9e1f4a5b6')!;
    assert.deepEqual(squashed.downRevisions, []);
    assert.deepEqual(a.projects()[0]!.revisions.find((r) => r.revision === '5b7f0c3d2e84')!.downRevisions, ['c2d9e1f4a5b6']);
    const undone = await vscode.commands.executeCommand<{ undone: boolean }>('alembicSquash.undoLastSquash', { interactive: false });
    assert.equal(undone?.undone, true);
    assert.deepEqual(versionsOnDisk(), original);
    await graphWhere(a, () => ids(a) === originalIds);
  });

  it('refuses a range that is not one and writes nothing', async () => {
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
      configPath,
      from: '0d3b8f5a61c9',
      to: 'e91a4d6c0b27',
      interactive: false,
    });
    assert.equal(outcome?.status, 'refused');
    assert.ok(outcome!.reasons!.some((r) => r.includes('0d3b8f5a61c9')), JSON.stringify(outcome));
    assert.deepEqual(versionsOnDisk(), original);
  });

  it('refuses while a file involved has unsaved changes, naming it', async () => {
    const file = path.join(versions, [...original.keys()].find((f) => f.startsWith('c2d9e1f4a5b6'))!);
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\n# note\n'));
    try {
      const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
        configPath,
        from: 'base',
        to: 'head',
        interactive: false,
      });
      assert.equal(outcome?.status, 'refused');
      assert.ok(outcome!.reasons!.some((r) => r.includes(path.basename(file))), JSON.stringify(outcome));
      assert.deepEqual(versionsOnDisk(), original);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
