// Restricted Mode: verify and the schema commands refuse without running the project's Python; the tree still works.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../../package.json';
import { findPython } from '../../../src/core/alembic';
import type { AlembicSquashApi } from '../../../src/extension/main';

const workspace = process.env.ALEMBIC_SQUASH_WORKSPACE!;
const configPath = path.join(workspace, 'alembic.ini');

async function api(): Promise<AlembicSquashApi> {
  const extension = vscode.extensions.getExtension<AlembicSquashApi>(`${manifest.publisher}.${manifest.name}`)!;
  const exports = await extension.activate();
  await exports.ready;
  return exports;
}

describe('Restricted Mode (untrusted workspace)', () => {
  // An interpreter that leaves a mark when started: the extension host shares this process's env.
  let spyDir: string;
  let marker: string;
  let previous: string | undefined;

  before(() => {
    spyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-spy-'));
    marker = path.join(spyDir, 'python-was-run');
    const spy = path.join(spyDir, 'python');
    fs.writeFileSync(spy, `#!/bin/sh\ntouch '${marker}'\nexec /usr/bin/python3 "$@"\n`, { mode: 0o755 });
    previous = process.env.ALEMBIC_SQUASH_PYTHON;
    process.env.ALEMBIC_SQUASH_PYTHON = spy;
    // The control: with trust, this is the interpreter verify would start.
    assert.equal(findPython({ projectDir: workspace }), spy);
  });

  after(() => {
    if (previous === undefined) delete process.env.ALEMBIC_SQUASH_PYTHON;
    else process.env.ALEMBIC_SQUASH_PYTHON = previous;
    fs.rmSync(spyDir, { recursive: true, force: true });
  });

  it('runs untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still shows the revision tree', async () => {
    const a = await api();
    assert.deepEqual(
      a.revisionTree().map((n) => n.revision),
      ['0d3b8f5a61c9', 'e91a4d6c0b27', '5b7f0c3d2e84', 'c2d9e1f4a5b6', '8a4e6b2c9f31', '3f1c2a9b7d10'],
    );
  });

  it('refuses Verify Squash and starts no Python', async () => {
    const a = await api();
    const outcome = await vscode.commands.executeCommand<{ status: string; reasons?: string[] }>('alembicSquash.verifySquash', {
      configPath,
      from: 'base',
      to: 'head',
      interactive: false,
    });
    assert.equal(outcome?.status, 'refused');
    assert.ok(outcome!.reasons!.some((r) => r.includes('Restricted Mode')), JSON.stringify(outcome));
    assert.equal(a.lastVerify, undefined);
    assert.equal(fs.existsSync(marker), false, 'the project interpreter was started');
  });

  it('refuses Show Schema at Revision and Compare with Parent, and starts no Python', async () => {
    for (const command of ['alembicSquash.showSchemaAtRevision', 'alembicSquash.compareWithParent']) {
      const outcome = await vscode.commands.executeCommand<{ status: string }>(command, { configPath, revision: 'c2d9e1f4a5b6', interactive: false });
      assert.equal(outcome?.status, 'refused', command);
    }
    const compared = await vscode.commands.executeCommand<{ status: string }>('alembicSquash.compareSchemas', { configPath, left: 'base', right: 'head', interactive: false });
    assert.equal(compared?.status, 'refused');
    assert.equal(fs.existsSync(marker), false, 'the project interpreter was started');
  });
});
