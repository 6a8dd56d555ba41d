// The packaged extension (VSIX) in the real workbench, driven like a user: the Alembic view, the
// explorer's right-click, the squash review diff, a verify and a schema diff. Screenshots go to
// test/ui/artifacts/, or to docs/images/ (the README's) with ALEMBIC_SQUASH_UPDATE_SCREENSHOTS=1.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../extension/launcher';
import { ARTIFACTS_DIR, Selectors, startWorkbench, type Workbench } from './driver';

const IMAGES = process.env.ALEMBIC_SQUASH_UPDATE_SCREENSHOTS ? join(REPO_ROOT, 'docs/images') : ARTIFACTS_DIR;

/**
 * ALEMBIC_SQUASH_VSIX, or a VSIX packaged now from the built dist/ with its production dependencies
 * (.vscodeignore keeps only the PGlite packages, which are external to the bundle).
 */
function packagedVsix(tempDir: string): string {
  const given = process.env.ALEMBIC_SQUASH_VSIX;
  if (given) return given;
  if (!existsSync(join(REPO_ROOT, 'dist/extension.js'))) throw new Error('run `npm run build` first');
  const out = join(tempDir, 'alembic-squash.vsix');
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
  return out;
}

describe('packaged extension in the workbench (ui)', function () {
  let temp: string;
  let project: string;
  let wb: Workbench;

  before(async function () {
    temp = mkdtempSync(join(tmpdir(), 'alembic-squash-ui-'));
    project = join(temp, 'bookshop');
    cpSync(join(REPO_ROOT, 'test/fixtures/linear'), project, { recursive: true });
    // A hook type this Alembic (1.8) does not know, as in projects written for newer Alembic: the
    // squash is still offered, written unformatted, and the user is told.
    const ini = join(project, 'alembic.ini');
    writeFileSync(ini, readFileSync(ini, 'utf8').replace('[post_write_hooks]\n', '[post_write_hooks]\nhooks = ruff\nruff.type = exec\nruff.executable = ruff\nruff.options = format REVISION_SCRIPT_FILENAME\n'));
    const vsix = packagedVsix(temp);
    console.log(`    VSIX ${vsix}: ${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB`);
    wb = await startWorkbench({
      folder: project,
      vsix,
      artifactsDir: IMAGES,
      settings: { 'alembicSquash.python': '/usr/bin/python3', 'alembicSquash.provider': 'local', 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
    });
  });

  after(async () => {
    await wb?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  afterEach(async function () {
    // A failing step leaves a picture of the workbench next to the run's other artifacts, not in docs/.
    if (this.currentTest?.state === 'failed') await wb.page.screenshot({ path: join(ARTIFACTS_DIR, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
  });

  /** Waits for the quick input titled `title` (each step has its own), so keys never reach the previous one. */
  async function quickInput(title: string | RegExp) {
    await wb.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: title }).waitFor();
    return wb.page.locator(Selectors.quickInputBox);
  }

  /** Types into the quick pick titled `title` and accepts the first match. */
  async function pick(title: string | RegExp, text: string): Promise<void> {
    const input = await quickInput(title);
    await input.fill(text);
    await wb.page.locator(Selectors.quickInputRow).filter({ hasText: text }).first().waitFor();
    await input.press('Enter');
  }

  async function accept(title: string | RegExp): Promise<void> {
    await (await quickInput(title)).press('Enter');
  }

  /** Runs a palette command that opens its own quick pick (the palette stays open for it). */
  const paletteThenPick = (title: string) => wb.runCommand(title, { waitForClose: false });

  async function openAlembicView(): Promise<void> {
    await wb.page.locator('.part.activitybar .action-item [aria-label^="Alembic"]').first().click();
    await wb.page.locator('.pane-header').filter({ hasText: 'Revisions' }).waitFor();
  }

  const tab = (title: string | RegExp) => wb.page.locator('.tabs-container .tab').filter({ hasText: title });

  it('shows the fixture revisions in the Alembic view', async () => {
    await openAlembicView();
    for (const message of ['create projects', 'rename teams to organizations', 'create users table']) {
      await wb.treeRow(new RegExp(message, 'i')).first().waitFor();
    }
    await wb.screenshot('revisions-view');
  });

  it('offers "Squash Migrations…" on the versions folder in the explorer', async () => {
    await wb.runCommand('View: Show Explorer');
    const migrations = wb.page.locator(`${Selectors.explorer} ${Selectors.listRow}`).filter({ hasText: /^migrations$/ });
    await migrations.click();
    const versions = wb.page.locator(`${Selectors.explorer} ${Selectors.listRow}`).filter({ hasText: /^versions$/ });
    await versions.click({ button: 'right' });
    const entry = wb.page.locator('.context-view .monaco-menu .action-label').filter({ hasText: 'Squash Migrations…' });
    await entry.waitFor();
    await wb.screenshot('explorer-squash-migrations');
    await wb.page.keyboard.press('Escape');
    await entry.waitFor({ state: 'hidden' });
  });

  it('opens the review screen of a squash before anything is written', async () => {
    await paletteThenPick('Alembic: Squash Revisions…');
    await pick(/last revision of the range/, 'e91a4d6c0b27');
    await pick(/first revision of the range ending at e91a4d6c0b27/, '8a4e6b2c9f31');
    await accept('Squash 4 revisions'); // the suggested message
    await accept('Revision id of the squashed revision'); // keep the tip's id
    const review = wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await review.getByRole('heading', { name: /Squash 4 revisions/ }).waitFor();
    await wb.notification(/not formatted by every post_write_hook: post_write_hook "ruff" could not run/);
    // VS Code's diff editor stays available for one member.
    await review.locator('li.member[data-revision="c2d9e1f4a5b6"]').getByRole('button', { name: 'Open in Diff Editor' }).click();
    await tab(/c2d9e1f4a5b6 ↔ its block in the squash/).waitFor();
    await wb.page.locator('.monaco-diff-editor').first().waitFor();
    await wb.screenshot('review-squash-diff');
    await tab(/Squash 4 revisions/).click();
    await review.getByRole('button', { name: 'Cancel' }).click();
    await review.getByText('Cancelled: nothing was written.').waitFor();
    assert.ok(existsSync(join(project, 'migrations/versions/8a4e6b2c9f31_add_teams_and_membership.py')), 'the squash was not applied');
    await wb.runCommand('View: Close All Editors');
  });

  it('verifies a squash on a throwaway PostgreSQL and reports it equal', async () => {
    await paletteThenPick('Alembic: Verify Squash…');
    await pick(/last revision of the range/, 'e91a4d6c0b27');
    await pick(/first revision of the range ending at e91a4d6c0b27/, '8a4e6b2c9f31');
    await wb.notification(/Verify: equal/, 120_000);
    await openAlembicView();
    const header = wb.page.locator('.pane-header').filter({ hasText: 'Schema Differences' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await wb.treeRow(/^Equal/).first().waitFor();
    await wb.screenshot('verify-equal');
  });

  it('compares the schemas of two revisions side by side', async () => {
    await paletteThenPick('Alembic: Compare Schemas of Two Revisions');
    await pick(/the older revision/, '3f1c2a9b7d10');
    await pick(/the revision to compare with 3f1c2a9b/, '0d3b8f5a61c9');
    await tab(/Schema: 3f1c2a9b ↔ 0d3b8f5a \(\d+ differences\)/).waitFor({ timeout: 120_000 });
    // The right side (0d3b) has the projects table, which the left side (3f1c) does not.
    await wb.page.locator('.monaco-diff-editor .editor.modified .view-line').filter({ hasText: 'projects' }).first().waitFor();
    await wb.screenshot('schema-diff');
  });
});
