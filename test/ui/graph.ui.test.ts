// The Alembic: Graph panel and the Databases view in the workbench, on the bookshop example and on
// real PostgreSQL databases this test creates. Screenshots go to test/ui/artifacts/, or to
// docs/images/ with ALEMBIC_SQUASH_UPDATE_SCREENSHOTS=1.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from '../extension/launcher';
import { runCliJson } from '../support/cli';
import { clusterUnavailableReason, startCluster, type Cluster } from '../support/pg-cluster';
import { ARTIFACTS_DIR, startWorkbench, type Workbench } from './driver';

const IMAGES = process.env.ALEMBIC_SQUASH_UPDATE_SCREENSHOTS ? join(REPO_ROOT, 'docs/images') : ARTIFACTS_DIR;
const PYTHON = '/usr/bin/python3';
const OLD_TIP = 'c41d7e2a9b06';

describe('graph and databases in the workbench (ui)', function () {
  let temp: string;
  let wb: Workbench;
  let cluster: Cluster;
  let newId: string;
  let productionUrl: string;
  let stagingUrl: string;

  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    temp = mkdtempSync(join(tmpdir(), 'alembic-squash-ui-graph-'));
    const project = join(temp, 'bookshop');
    cpSync(join(REPO_ROOT, 'examples/bookshop'), project, { recursive: true });
    cluster = await startCluster();
    // Deployed before the squash: production at the old tip, staging in the middle of the range.
    productionUrl = await databaseAt(cluster, 'production', OLD_TIP);
    stagingUrl = await databaseAt(cluster, 'staging', '2d9c5f8b1e63');
    // The team squashes the last three revisions under a new id (the CLI, as a teammate would).
    const sq = runCliJson(['squash', project, '--from', '8a1f4c7e2d95', '--to', OLD_TIP, '--revision-id', 'new', '-m', 'late catalog work'], {
      env: { ALEMBIC_SQUASH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: '1' },
    });
    assert.equal(sq.status, 0, sq.stderr);
    newId = sq.json.plan.newRevision;
    wb = await startWorkbench({
      folder: project,
      extensionPath: REPO_ROOT,
      artifactsDir: IMAGES,
      settings: {
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'alembicSquash.python': PYTHON,
      },
    });
  });

  after(async () => {
    await wb?.close();
    await cluster?.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  const graphFrame = () => wb.page.frameLocator('iframe.webview').frameLocator('#active-frame');

  it('draws the bookshop history: lanes for the merged feature branch, heads, bases, badges', async () => {
    await wb.runCommand('Alembic: Graph');
    const frame = graphFrame();
    await frame.locator('.row', { hasText: 'merge reviews feature' }).waitFor();
    await frame.locator('.row', { hasText: 'late catalog work' }).locator('.tag.head').waitFor();
    await frame.locator('.row', { hasText: 'create authors and books' }).locator('.tag.base').waitFor();
    // Two lanes: the branch point's two children and the merge point's two parents.
    assert.ok((await frame.locator('svg.lanes path').count()) >= 10);
    await frame.locator('.row', { hasText: 'genres lookup' }).locator('.badge.data').waitFor();
    await wb.screenshot('graph-bookshop');
    // The filter dims what does not match (by message, id, file or label).
    await frame.locator('#filter').fill('reviews');
    await frame.locator('#count', { hasText: '2 matches' }).waitFor();
    assert.equal(await frame.locator('.row:not(.dim)').count(), 2);
    await frame.locator('#filter').fill('');
    await frame.locator('.row.dim').first().waitFor({ state: 'detached' });
  });

  it('refuses a range across the branch point, says why and marks the edge', async () => {
    const frame = graphFrame();
    await frame.locator('.row', { hasText: 'create reviews' }).click();
    await frame.locator('.row', { hasText: 'fuzzy title search' }).click({ modifiers: ['Shift'] });
    await frame.locator('.selection.refused', { hasText: 'not squashable' }).waitFor();
    await frame.locator('.reasons li', { hasText: 'branches off 71e5a9c3b2d4, which is inside the range but is not its tip' }).waitFor();
    assert.ok((await frame.locator('svg.lanes path.hot').count()) >= 1, 'the offending edge is highlighted');
    assert.equal(await frame.locator('#squash').isDisabled(), true);
    await wb.screenshot('graph-range-refused');
  });

  it('shows each database with what it needs after the squash', async () => {
    await wb.page.locator('.part.activitybar .action-item [aria-label^="Alembic"]').first().click();
    await wb.page.locator('.pane-header', { hasText: 'Databases' }).first().waitFor();
    await addDatabase(wb, 'production', productionUrl);
    await addDatabase(wb, 'staging', stagingUrl);
    await wb.treeRow(/production/).filter({ hasText: 'needs stamp' }).first().waitFor();
    await wb.treeRow(/staging/).filter({ hasText: 'at a replaced revision · needs upgrade first' }).first().waitFor();
    await wb.treeRow(new RegExp(`alembic upgrade ${OLD_TIP} with the code before the squash`)).first().waitFor();
    await wb.screenshot('databases-replaced');
  });

  it('stamps production after a modal naming it, its row and the new row', async () => {
    const row = wb.treeRow(/production/).filter({ hasText: 'needs stamp' }).first();
    await row.hover();
    await row.locator('.action-label[aria-label="Stamp…"]').click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /Stamp the database "production"\?/);
    assert.match(text, new RegExp(`alembic_version now: ${OLD_TIP}`));
    assert.match(text, new RegExp(`alembic_version after: ${newId}`));
    assert.ok(!text.includes('postgres@') || text.includes('127.0.0.1'), 'the database is named by its URL');
    await wb.screenshot('databases-stamp-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Stamp$/ }).click();
    await wb.notification(`production: alembic_version now holds ${newId}.`);
    const c = new Client({ connectionString: productionUrl });
    await c.connect();
    const rows = (await c.query('SELECT version_num FROM alembic_version')).rows.map((r) => r.version_num);
    await c.end();
    assert.deepEqual(rows, [newId]);
    await wb.treeRow(/production/).filter({ hasText: 'at head' }).first().waitFor();
    await wb.screenshot('databases-stamped');
  });
});

async function databaseAt(cluster: Cluster, name: string, version: string): Promise<string> {
  const url = await cluster.createDatabase(name);
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)');
  await c.query('INSERT INTO alembic_version VALUES ($1)', [version]);
  await c.end();
  return url;
}

/** Alembic: Add Database… as a user does it: a name, then "Enter a URL…" (the example sets a sqlalchemy.url). */
async function addDatabase(wb: Workbench, name: string, url: string): Promise<void> {
  await wb.runCommand('Alembic: Add Database…', { waitForClose: false });
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(name);
  await input.press('Enter');
  await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Enter a URL…' }).first().click();
  await wb.page.locator('.quick-input-widget .quick-input-message', { hasText: 'secret storage' }).waitFor();
  await input.fill(url);
  await input.press('Enter');
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}
