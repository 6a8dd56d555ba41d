// Proves the harness: the packaged manifest's extension loads and activates in a real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json';

const extensionId = `${manifest.publisher}.${manifest.name}`;

describe('extension host', () => {
  it('lists the extension under its publisher.name id', () => {
    const ids = vscode.extensions.all.map((e) => e.id.toLowerCase());
    assert.ok(ids.includes(extensionId), `${extensionId} not among ${ids.length} extensions`);
  });

  it('activates the extension and exposes the API activate() returned', async () => {
    const extension = vscode.extensions.getExtension<{ ready: Promise<void> }>(extensionId);
    assert.ok(extension, `${extensionId} not found`);
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(extension.exports, api);
    assert.equal(typeof api.ready?.then, 'function', 'activate() should return an object with a ready promise');
    await api.ready;
  });

  it('opens the workspace folder the suite was started with', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].uri.fsPath, process.env.ALEMBIC_SQUASH_WORKSPACE);
  });

  it('runs in a trusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
