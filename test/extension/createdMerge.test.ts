// A merge revision created in the editor (the quick fix's edit: create the file, then fill it) opens.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { AlembicSquashApi } from '../../src/extension/main';

const workspace = process.env.ALEMBIC_SQUASH_WORKSPACE!;
const file = path.join(workspace, 'migrations/versions/77aa00bb11cc_merge_heads.py');

const MERGE = `"""merge heads

Revision ID: 77aa00bb11cc
Revises: 0d3b8f5a61c9, 5b7f0c3d2e84
Create Date: 2026-11-30 10:00:00.000000

"""
revision = '77aa00bb11cc'
down_revision = ('0d3b8f5a61c9', '5b7f0c3d2e84')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
`;

describe('a merge revision created in the editor', () => {
  after(async () => {
    const remove = new vscode.WorkspaceEdit();
    remove.deleteFile(vscode.Uri.file(file), { ignoreIfNotExists: true });
    await vscode.workspace.applyEdit(remove);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens in an editor', async () => {
    const extension = vscode.extensions.getExtension<AlembicSquashApi>(`${manifest.publisher}.${manifest.name}`)!;
    await (await extension.activate()).ready;
    const opened = new Promise<void>((resolve) => {
      const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document.uri.fsPath !== file) return;
        sub.dispose();
        resolve();
      });
    });
    const edit = new vscode.WorkspaceEdit();
    const uri = vscode.Uri.file(file);
    edit.createFile(uri, { overwrite: false });
    edit.insert(uri, new vscode.Position(0, 0), MERGE);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await opened;
    assert.equal(vscode.window.activeTextEditor?.document.getText(), MERGE);
    await vscode.window.activeTextEditor?.document.save();
  });
});
