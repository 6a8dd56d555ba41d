// The bundled example in the workbench: a history with a feature branch merged back, as the README
// shows it. Screenshots go to test/ui/artifacts/, or to docs/images/ with ALEMBIC_SQUASH_UPDATE_SCREENSHOTS=1.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../extension/launcher';
import { ARTIFACTS_DIR, startWorkbench, type Workbench } from './driver';

const IMAGES = process.env.ALEMBIC_SQUASH_UPDATE_SCREENSHOTS ? join(REPO_ROOT, 'docs/images') : ARTIFACTS_DIR;

describe('the bookshop example in the workbench (ui)', function () {
  let temp: string;
  let wb: Workbench;

  before(async function () {
    temp = mkdtempSync(join(tmpdir(), 'alembic-squash-ui-'));
    const project = join(temp, 'bookshop');
    cpSync(join(REPO_ROOT, 'examples/bookshop'), project, { recursive: true });
    wb = await startWorkbench({
      folder: project,
      extensionPath: REPO_ROOT,
      artifactsDir: IMAGES,
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
    });
  });

  after(async () => {
    await wb?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  it('shows the merge point with the parents it merges, and the branch point below', async () => {
    await wb.page.locator('.part.activitybar .action-item [aria-label^="Alembic"]').first().click();
    const merge = wb.treeRow(/merge reviews feature/).first();
    await merge.waitFor();
    await wb.treeRow(/fuzzy title search/).first().waitFor();
    // Expanding the merge point lists the revisions it merges.
    await merge.locator('.monaco-tl-twistie').click();
    await wb.treeRow(/^merges /).first().waitFor();
    // The tooltip may not come on the first hover while the workbench is still settling: leave and
    // hover again until it shows.
    const tooltip = wb.page.locator('.monaco-hover, .workbench-hover').first();
    for (let attempt = 1; ; attempt++) {
      await merge.hover();
      try {
        await tooltip.waitFor({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
        await wb.page.mouse.move(0, 0);
      }
    }
    await wb.screenshot('revisions-branches');
  });
});
