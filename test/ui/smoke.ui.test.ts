// The workbench opens a project folder with the extension installed, as a user would see it.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../extension/launcher';
import { startWorkbench, type Workbench } from './driver';

describe('workbench (ui)', () => {
  let project: string;
  let workbench: Workbench | undefined;

  before(async function () {
    if (!existsSync(join(REPO_ROOT, 'dist/extension.js'))) throw new Error('run `npm run build` first');
    project = mkdtempSync(join(tmpdir(), 'alembic-squash-ui-'));
    writeFileSync(join(project, 'alembic.ini'), '[alembic]\nscript_location = migrations\n');
    mkdirSync(join(project, 'migrations/versions'), { recursive: true });
    writeFileSync(join(project, 'migrations/env.py'), 'from alembic import context\n');
    workbench = await startWorkbench({ folder: project, extensionPath: REPO_ROOT });
  });

  after(async () => {
    await workbench?.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('shows the project files in the explorer', async () => {
    const wb = workbench!;
    await wb.treeRow('alembic.ini').waitFor();
    await wb.treeRow('migrations').waitFor();
    const shot = await wb.screenshot('smoke-explorer');
    assert.ok(existsSync(shot), `screenshot ${shot} not written`);
  });

  it('lists the extension among the enabled extensions', async () => {
    const wb = workbench!;
    await wb.runCommand('Extensions: Show Enabled Extensions');
    const entry = wb.page.locator('.extensions-viewlet .monaco-list-row').filter({ hasText: 'Alembic Squash' });
    await entry.waitFor();
    await wb.screenshot('smoke-enabled-extensions');
  });
});
