// The snapshot strategy from VS Code: the chain runs on a throwaway PostgreSQL (local binaries),
// the schema at the tip is written as one revision after the proof, and undo brings the history back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SquashOutcome } from '../../src/extension/squash/flow';
import { api, configPath, versions, versionsOnDisk, workspace } from './support';

const SYSTEM_PYTHON = '/usr/bin/python3';

describe('the snapshot strategy in VS Code', function () {
  this.timeout(240_000);
  const settings = () => vscode.workspace.getConfiguration('alembicSquash');

  before(async () => {
    await api();
    await settings().update('python', SYSTEM_PYTHON, vscode.ConfigurationTarget.Workspace);
    await settings().update('provider', 'local', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await settings().update('python', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('provider', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('writes the schema at the tip as one proven revision, and undo restores every file', async () => {
    const original = versionsOnDisk();
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
      configPath,
      from: 'base',
      to: 'head',
      message: 'schema snapshot',
      revisionId: 'tip',
      strategy: 'snapshot',
      interactive: false,
    });
    assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
    const disk = versionsOnDisk();
    assert.equal(disk.size, 1, [...disk.keys()].join(', '));
    const [text] = [...disk.values()];
    assert.match(text!, /down_revision = None/);
    assert.match(text!, /op\.create_table\(/, 'tables as Alembic operations');
    assert.doesNotMatch(text!, /^\s*# --- \w+: /m, 'no per-revision blocks of the op-merge squash');
    const undone = await vscode.commands.executeCommand<{ undone: boolean }>('alembicSquash.undoLastSquash', { interactive: false });
    assert.equal(undone?.undone, true);
    assert.deepEqual(versionsOnDisk(), original);
    // Later suites plan squashes on the graph: let the file events of the undo reach it first.
    const a = await api();
    await new Promise<void>((resolve) => {
      const settled = () => a.projects()[0]!.revisions.length === original.size && a.projects()[0]!.heads.join() === '0d3b8f5a61c9';
      if (settled()) return resolve();
      const sub = a.onDidChangeGraph(() => {
        if (!settled()) return;
        sub.dispose();
        resolve();
      });
    });
  });
});
