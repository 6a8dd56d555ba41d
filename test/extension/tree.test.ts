// The Revisions view's content through the API activate() returns, on the `linear` fixture.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlembicSquashApi } from '../../src/extension/main';
import { api, versions, workspace } from './support';

/** linear: 3f1c → 8a4e → c2d9 → 5b7f → e91a → 0d3b (head). */
const NEWEST_FIRST = ['0d3b8f5a61c9', 'e91a4d6c0b27', '5b7f0c3d2e84', 'c2d9e1f4a5b6', '8a4e6b2c9f31', '3f1c2a9b7d10'];

function nextGraphChange(a: AlembicSquashApi, until: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const sub = a.onDidChangeGraph(() => {
      if (!until()) return;
      sub.dispose();
      resolve();
    });
  });
}

describe('Revisions view', () => {
  it('finds the fixture project with its six revisions and one head', async () => {
    const a = await api();
    const [project, ...others] = a.projects();
    assert.equal(others.length, 0);
    assert.equal(project!.configPath, path.join(workspace, 'alembic.ini'));
    assert.deepEqual(project!.heads, ['0d3b8f5a61c9']);
    assert.equal(project!.revisions.length, 6);
  });

  it('shows the head at the top down to the base, with short id and date', async () => {
    const tree = (await api()).revisionTree();
    assert.deepEqual(tree.map((n) => n.revision), NEWEST_FIRST);
    assert.equal(tree[0]!.contextValue, 'revision:head');
    assert.equal(tree[0]!.description, '0d3b8f5a · 2024-03-11');
    assert.equal(tree[5]!.contextValue, 'revision:base');
    assert.ok(tree.every((n) => n.label.length > 0 && n.label !== n.revision), 'labels are the revisions\' messages');
  });

  it('follows a new revision file and its removal without a refresh', async () => {
    const a = await api();
    const file = path.join(versions, 'aa11bb22cc33_add_audit_log.py');
    const text = [
      '"""add audit log',
      '',
      'Revision ID: aa11bb22cc33',
      'Revises: 0d3b8f5a61c9',
      'Create Date: 2024-04-01 09:00:00.000000',
      '',
      '"""',
      'from alembic import op',
      'import sqlalchemy as sa',
      '',
      "revision = 'aa11bb22cc33'",
      "down_revision = '0d3b8f5a61c9'",
      'branch_labels = None',
      'depends_on = None',
      '',
      '',
      'def upgrade():',
      "    op.create_table('audit_log', sa.Column('id', sa.Integer, primary_key=True))",
      '',
      '',
      'def downgrade():',
      "    op.drop_table('audit_log')",
      '',
    ].join('\n');
    const head = () => a.projects()[0]!.heads.join();
    const added = nextGraphChange(a, () => head() === 'aa11bb22cc33');
    fs.writeFileSync(file, text);
    await added;
    assert.deepEqual(a.revisionTree()[0]!.revision, 'aa11bb22cc33');
    assert.equal(a.revisionTree()[1]!.contextValue, 'revision');

    const removed = nextGraphChange(a, () => head() === '0d3b8f5a61c9');
    fs.rmSync(file);
    await removed;
    assert.deepEqual(a.revisionTree().map((n) => n.revision), NEWEST_FIRST);
  });

  it('uses the unsaved text of an open editor', async () => {
    const a = await api();
    const file = fs.readdirSync(versions).find((f) => f.startsWith('0d3b8f5a61c9'))!;
    const doc = await vscode.workspace.openTextDocument(path.join(versions, file));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf("revision = '0d3b8f5a61c9'");
    assert.ok(at >= 0);
    const start = doc.positionAt(at + "revision = '".length);
    const renamed = nextGraphChange(a, () => a.projects()[0]!.heads.join() === '0d3b8f5a61ff');
    await editor.edit((e) => e.replace(new vscode.Range(start, start.translate(0, 12)), '0d3b8f5a61ff'));
    await renamed;
    assert.ok(doc.isDirty);
    const reverted = nextGraphChange(a, () => a.projects()[0]!.heads.join() === '0d3b8f5a61c9');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await reverted;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('drops a project whose whole folder is deleted, without a refresh', async () => {
    const a = await api();
    const second = path.join(workspace, 'second-service');
    fs.cpSync(path.join(process.env.ALEMBIC_SQUASH_FIXTURES!, 'branch-merge'), second, { recursive: true });
    try {
      await vscode.commands.executeCommand('alembicSquash.refresh');
      await a.ready;
      assert.equal(a.projects().length, 2, 'the copied project is found');
      const gone = nextGraphChange(a, () => a.projects().length === 1);
      fs.rmSync(second, { recursive: true, force: true });
      await gone;
      await a.ready;
      assert.equal(a.projects()[0]!.configPath, path.join(workspace, 'alembic.ini'));
    } finally {
      if (fs.existsSync(second)) {
        fs.rmSync(second, { recursive: true, force: true });
        await vscode.commands.executeCommand('alembicSquash.refresh');
      }
    }
  });

  it('reveals the revision of the active editor', async () => {
    await api();
    const file = fs.readdirSync(versions).find((f) => f.startsWith('c2d9e1f4a5b6'))!;
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(versions, file)));
    await vscode.commands.executeCommand('alembicSquash.revisions.focus');
    const revealed = await vscode.commands.executeCommand('alembicSquash.revealRevision');
    assert.equal(revealed, 'c2d9e1f4a5b6');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
