// A squash killed mid-write in a terminal (the CLI, SIGKILL between two file steps) leaves a versions
// folder that is partly old, partly new. The extension rolls it back on request, and a squash started
// in VS Code rolls it back first instead of planning on it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SquashOutcome } from '../../src/extension/squash/flow';
import type { RecoveryOutcome } from '../../src/extension/squash/recovery';
import { api, configPath, graphWhere, ids, versions, versionsOnDisk, workspace } from './support';

const repo = process.env.ALEMBIC_SQUASH_REPO_ROOT!;
const RANGE = ['8a4e6b2c9f31', 'c2d9e1f4a5b6', '5b7f0c3d2e84', 'e91a4d6c0b27'];

/** `alembic-squash squash` of 8a4e..e91a with a new id, killed (SIGKILL) before its `step`-th file step. */
function killedSquash(project: string, step: number): void {
  const python = fs.existsSync('/usr/bin/python3') ? { ALEMBIC_SQUASH_PYTHON: '/usr/bin/python3' } : {};
  const r = spawnSync(
    process.execPath,
    [path.join(repo, 'dist/cli.js'), 'squash', project, '--from', RANGE[0]!, '--to', RANGE[3]!, '--revision-id', 'new', '--strategy', 'ops', '--no-hooks', '-m', 'teams and users'],
    { env: { ...process.env, ...python, ALEMBIC_SQUASH_FAULT_AT: String(step), ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' },
  );
  assert.equal(r.signal, 'SIGKILL', `the squash was not killed at step ${step}: exit ${r.status}\n${r.stderr}`);
}

/** Journal folders in the project's `.alembic-squash` (earlier tests may have left complete ones). */
function journals(): Set<string> {
  const dir = path.join(workspace, '.alembic-squash');
  return new Set(fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => d.startsWith('journal-')) : []);
}

const added = (before: Set<string>) => [...journals()].filter((j) => !before.has(j));

/** Some of the replaced files gone, some still there: neither the old folder nor the new one. */
const halfWritten = (files: Map<string, string>) => {
  const left = RANGE.filter((id) => [...files.keys()].some((f) => f.startsWith(id))).length;
  return left > 0 && left < RANGE.length;
};

/** The first file step at which a kill leaves the folder half-written (found on a copy of the project). */
function halfWritingStep(): number {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-kill-'));
  try {
    for (let step = 4; step < 60; step++) {
      const copy = path.join(scratch, String(step));
      fs.mkdirSync(copy);
      fs.copyFileSync(configPath, path.join(copy, 'alembic.ini'));
      fs.cpSync(path.join(workspace, 'migrations'), path.join(copy, 'migrations'), { recursive: true });
      killedSquash(copy, step);
      if (halfWritten(versionsOnDisk(path.join(copy, 'migrations/versions')))) return step;
    }
    throw new Error('no file step of the squash leaves a half-written folder');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

describe('a squash killed mid-write in a terminal', function () {
  this.timeout(240_000);
  let original: Map<string, string>;
  let originalIds: string;
  let step: number;

  before(async () => {
    const a = await api();
    original = versionsOnDisk(versions);
    originalIds = ids(a);
    step = halfWritingStep();
  });

  it('is rolled back by Roll Back Interrupted Squash: every file as before, its journal gone', async () => {
    const a = await api();
    const before = journals();
    killedSquash(workspace, step);
    try {
      assert.ok(halfWritten(versionsOnDisk()), 'the kill did not leave a half-written folder');
      assert.equal(added(before).length, 1, 'the killed squash left its journal');
      const outcome = await vscode.commands.executeCommand<RecoveryOutcome>('alembicSquash.rollBackInterrupted', { configPath, interactive: false });
      assert.deepEqual(outcome?.recovered.map((r) => r.action), ['rolled-back']);
      assert.deepEqual(versionsOnDisk(), original);
      assert.deepEqual(added(before), [], 'the journal of the rolled back squash was left');
    } finally {
      await vscode.commands.executeCommand('alembicSquash.rollBackInterrupted', { configPath, interactive: false });
    }
    await graphWhere(a, () => ids(a) === originalIds);
  });

  it('is rolled back before a squash in VS Code plans, which then replaces the whole range', async () => {
    const a = await api();
    killedSquash(workspace, step);
    const outcome = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
      configPath,
      from: RANGE[0],
      to: RANGE[3],
      revisionId: 'new',
      message: 'teams and users',
      interactive: false,
    });
    try {
      assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
      const disk = versionsOnDisk(versions);
      assert.deepEqual([...disk.keys()].map((f) => f.slice(0, 12)).sort(), ['0d3b8f5a61c9', '3f1c2a9b7d10', outcome!.newRevision!].sort());
      assert.ok([...disk].find(([f]) => f.startsWith('0d3b8f5a61c9'))![1].includes(`down_revision = '${outcome!.newRevision}'`));
    } finally {
      if (a.lastSquash?.applied) await vscode.commands.executeCommand('alembicSquash.undoLastSquash', { interactive: false });
    }
    assert.deepEqual(versionsOnDisk(versions), original);
    await graphWhere(a, () => ids(a) === originalIds);
  });

  it('journals a squash applied in VS Code as the CLI does: `alembic-squash squash --undo` restores it byte for byte; Undo Last Squash removes the journal', async () => {
    const a = await api();
    const squash = () =>
      vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', { configPath, from: RANGE[0], to: RANGE[3], revisionId: 'new', message: 'teams and users', interactive: false });
    const before = journals();
    let outcome = await squash();
    try {
      assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
      assert.equal(added(before).length, 1, 'the applied squash has its journal');
      const python = fs.existsSync('/usr/bin/python3') ? { ALEMBIC_SQUASH_PYTHON: '/usr/bin/python3' } : {};
      const undo = spawnSync(process.execPath, [path.join(repo, 'dist/cli.js'), 'squash', workspace, '--undo'], { env: { ...process.env, ...python, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
      assert.equal(undo.status, 0, undo.stdout + undo.stderr);
      assert.deepEqual(versionsOnDisk(), original);
      assert.deepEqual(added(before), []);
    } finally {
      // The CLI did not put it back: VS Code's own undo does, for the tests that follow.
      if (JSON.stringify([...versionsOnDisk()]) !== JSON.stringify([...original])) await vscode.commands.executeCommand('alembicSquash.undoLastSquash', { interactive: false });
    }
    await graphWhere(a, () => ids(a) === originalIds);

    outcome = await squash();
    assert.equal(outcome?.status, 'applied', JSON.stringify(outcome));
    const undone = await vscode.commands.executeCommand<{ undone: boolean }>('alembicSquash.undoLastSquash', { interactive: false });
    assert.equal(undone?.undone, true);
    assert.deepEqual(versionsOnDisk(), original);
    assert.deepEqual(added(before), [], 'the journal of an undone squash is gone');
    await graphWhere(a, () => ids(a) === originalIds);
  });
});
